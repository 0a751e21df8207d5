// What `codecrew doctor` and the start-up log say of the cloud a
// configuration means (cloud/cloud_detection.h): the cloud and what chose it,
// each service with its endpoint and where its credentials come from, the
// variables read but unused, and every problem by its variable. Never a
// secret's value.
// Thread-safety: pure functions of their arguments (the log is spdlog's).
#pragma once

#include "cloud/cloud_detection.h"

#include <ostream>

namespace codecrew::app {

void printCloudReport(std::ostream& out, const cloud::CloudDetection& detection);

// One line per service and per problem (problems as warnings) at start-up;
// nothing when no cloud variable is set.
void logCloudDetection(const cloud::CloudDetection& detection);

}  // namespace codecrew::app
