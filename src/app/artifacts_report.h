// What `codecrew doctor` says of the artifact store: which store, where
// (directory, bucket and region, container and account, endpoint and
// addressing), which credentials it will use (the variable, never a
// secret's value), and whether finished workspaces are archived.
// Thread-safety: a pure function of its arguments.
#pragma once

#include "storage/artifact_settings.h"

#include <ostream>

namespace codecrew::app {

void printArtifactsReport(std::ostream& out, const storage::ArtifactSettings& settings);

}  // namespace codecrew::app
