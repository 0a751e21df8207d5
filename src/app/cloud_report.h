// What `codecrew doctor` and the start-up log say of the cloud a
// configuration means (cloud/cloud_detection.h): the cloud and what chose it,
// each service with its endpoint and where its credentials come from, the
// variables read but unused, and every problem by its variable. Never a
// secret's value.
// Thread-safety: pure functions of their arguments (the log is spdlog's).
#pragma once

#include "cloud/cloud_detection.h"
#include "storage/artifact_settings.h"

#include <ostream>

namespace codecrew::app {

// With the artifact settings, the storage service's line says whether
// artifacts go there, or what to set so that they do.
void printCloudReport(std::ostream& out, const cloud::CloudDetection& detection,
                      const storage::ArtifactSettings& artifacts);

// One line per service and per problem (problems as warnings) at start-up;
// nothing when no cloud variable is set.
void logCloudDetection(const cloud::CloudDetection& detection);

}  // namespace codecrew::app
