#include "app/cloud_report.h"

#include "core/log.h"

#include <string>

namespace codecrew::app {

namespace {

std::string serviceLine(const cloud::CloudService& s) {
  std::string line = s.role + ": " + s.name + " ";
  line += s.endpoint.empty() ? "(no endpoint)" : s.endpoint;
  line += s.credentials.empty() ? ", no credentials" : ", credentials from " + s.credentials;
  line += s.usable ? "" : " (not usable)";
  return line;
}

// Where the artifacts go, beside the cloud's storage service.
std::string artifactsLine(const cloud::CloudService& s, const storage::ArtifactSettings& artifacts) {
  const std::string store = s.name == "Amazon S3" ? "s3" : "azure";
  const std::string container = store == "s3" ? "bucket" : "container";
  if (artifacts.store == store) return "artifacts: stored here, in " + container + " " + artifacts.bucket;
  return "artifacts: " + std::string(artifacts.store == "local" ? "on the local disk" : "in " + artifacts.store) +
         "; to keep them here set [artifacts] store = \"" + store + "\" and bucket = \"<" + container +
         ">\" (CODECREW_ARTIFACTS_STORE, CODECREW_ARTIFACTS_BUCKET)";
}

std::string problemLine(const cloud::CloudProblem& p) { return (p.fatal ? "error: " : "warning: ") + p.message; }

}  // namespace

void printCloudReport(std::ostream& out, const cloud::CloudDetection& d, const storage::ArtifactSettings& artifacts) {
  out << "\ncloud:\n";
  if (d.present.empty()) {
    out << "  none (no CLOUD_PROVIDER, AZURE_* or AWS_* variable is set)\n";
    return;
  }
  out << "  provider: " << cloud::cloudName(d.kind);
  if (!d.chosen_by.empty()) out << (d.explicit_choice ? " (" : " (detected from ") << d.chosen_by << ")";
  out << "\n  variables set:";
  for (const auto& name : d.present) out << " " << name;
  out << "\n";
  for (const auto& s : d.services) {
    out << "  " << serviceLine(s) << "\n";
    if (s.role == "storage") out << "    " << artifactsLine(s, artifacts) << "\n";
  }
  for (const auto& u : d.unused) out << "  not used: " << u << "\n";
  for (const auto& p : d.problems) out << "  " << problemLine(p) << "\n";
}

void logCloudDetection(const cloud::CloudDetection& d) {
  if (d.present.empty()) return;
  core::log::info("cloud detected", {{"cloud", std::string(cloud::cloudName(d.kind))}, {"chosen_by", d.chosen_by}});
  for (const auto& s : d.services)
    core::log::info("cloud service: " + serviceLine(s),
                    {{"role", s.role}, {"service", s.name}, {"endpoint", s.endpoint}, {"usable", s.usable}});
  for (const auto& p : d.problems)
    if (!p.fatal) core::log::warn("cloud: " + p.message, {{"variable", p.variable}});
}

}  // namespace codecrew::app
