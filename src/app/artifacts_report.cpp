#include "app/artifacts_report.h"

namespace codecrew::app {

void printArtifactsReport(std::ostream& out, const storage::ArtifactSettings& s) {
  out << "\nartifacts:\n";
  if (s.store == "s3") {
    const auto& o = s.s3;
    out << "  store: s3, bucket " << o.bucket << " in " << o.region;
    if (!o.endpoint.empty()) out << " at " << o.endpoint << " (path-style)";
    else out << (o.path_style || o.bucket.find('.') != std::string::npos ? " (path-style)" : " (virtual-hosted)");
    out << (o.prefix.empty() ? "" : ", keys under " + o.prefix) << "\n";
    out << "  credentials: access key " << o.credentials.access_key_id << " (AWS_ACCESS_KEY_ID)"
        << (o.credentials.session_token.empty() ? "" : " with a session token (AWS_SESSION_TOKEN)") << "\n";
  } else if (s.store == "azure") {
    const auto& a = s.azure;
    out << "  store: azure, container " << a.container << " of storage account " << a.account << " at " << a.endpoint
        << (a.prefix.empty() ? "" : ", keys under " + a.prefix) << "\n";
    out << "  credentials: " << (a.key.empty() ? "a SAS token" : "the account key (Shared Key)") << "\n";
  } else {
    out << "  store: local, files under " << s.local_root.string()
        << " (set [artifacts] store = \"s3\" or \"azure\" for a bucket)\n";
  }
  out << "  workspaces: "
      << (s.archive_workspaces ? "archived as workspace.tar.gz when an execution finishes"
                               : "not archived ([artifacts] archive_workspaces)")
      << "\n";
}

}  // namespace codecrew::app
