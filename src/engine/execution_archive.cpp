// ExecutionRun, continued: a finished execution's workspace archived in the
// artifact store ([artifacts] archive_workspaces).
#include "engine/execution_run.h"

#include "core/crypto.h"
#include "core/log.h"
#include "storage/blob_keys.h"
#include "tools/git/git_archive.h"

namespace codecrew::engine {

// Archives larger than this are not stored (the archive is held in memory).
constexpr std::size_t kMaxWorkspaceArchiveBytes = std::size_t(512) << 20;

boost::asio::awaitable<void> ExecutionRun::archiveWorkspace() {
  auto bytes = tools::archiveRef(workspace_->root(), cp_.branch, kMaxWorkspaceArchiveBytes);
  if (!bytes) {
    core::log::warn("the workspace was not archived",
                    {{"execution_id", execution_id_}, {"error", bytes.error().message}});
    co_return;
  }
  const std::string key = storage::workspaceArchiveKey(tenant_id_, exec_.workflow_id, execution_id_);
  const std::string type = storage::contentTypeOf(key);
  auto stored = co_await deps_.artifacts->put(key, *bytes, type);
  if (!stored) {
    core::log::warn("the workspace was not archived",
                    {{"execution_id", execution_id_}, {"error", stored.error().message}});
    co_return;
  }
  archived_ = boost::json::object{{"uri", stored->uri},
                                  {"sha256", stored->sha256},
                                  {"bytes", static_cast<std::int64_t>(stored->size)},
                                  {"branch", cp_.branch}};
}

}  // namespace codecrew::engine
