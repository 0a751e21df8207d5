// CrewCodeService, continued: sessions, their limits, diff-mode updates and
// the sweep of expired ones.
#include "engine/crewcode_service.h"
#include "engine/semantic_context.h"

#include "core/log.h"
#include "engine/session_path.h"

#include <filesystem>

namespace codecrew::engine {
namespace fs = std::filesystem;

namespace {

constexpr core::Millis kSweepEveryMs = 60'000;
constexpr int kSweepBatch = 100;

core::Error tooLarge(const std::string& what, std::int64_t limit) {
  return core::Error{core::ErrorCode::kPayloadTooLarge, what + " (the limit is " + std::to_string(limit) + ")",
                     boost::json::object{{"limit", limit}}};
}

}  // namespace

core::Millis CrewCodeService::expiry() const {
  return clock_->nowMillis() + std::chrono::duration_cast<std::chrono::milliseconds>(settings_.session_ttl).count();
}

core::Status CrewCodeService::checkFile(const std::string& path, const std::string& content) const {
  if (auto ok = checkSessionPath(path); !ok) return ok;
  if (static_cast<std::int64_t>(content.size()) > settings_.max_file_bytes)
    return tooLarge("file '" + path + "' has " + std::to_string(content.size()) + " bytes", settings_.max_file_bytes);
  return checkTextContent(path, content);
}

core::Status CrewCodeService::checkFiles(const std::vector<std::pair<std::string, std::string>>& files) const {
  if (static_cast<std::int64_t>(files.size()) > settings_.max_session_files)
    return tooLarge(std::to_string(files.size()) + " files", settings_.max_session_files);
  std::int64_t total = 0;
  for (const auto& [path, content] : files) {
    if (auto ok = checkFile(path, content); !ok) return ok;
    total += static_cast<std::int64_t>(content.size());
  }
  if (total > settings_.max_session_bytes)
    return tooLarge("the files hold " + std::to_string(total) + " bytes", settings_.max_session_bytes);
  return core::okStatus();
}

void CrewCodeService::sweepNowAndThen() {
  {
    std::lock_guard lock(mu_);
    core::Millis now = clock_->nowMillis();
    if (last_sweep_ != 0 && now - last_sweep_ < kSweepEveryMs) return;
    last_sweep_ = now;
  }
  if (auto swept = sweepExpired(); !swept)
    core::log::warn("cannot delete expired CrewCode sessions", {{"error", swept.error().message}});
}

core::Result<store::CrewSession> CrewCodeService::liveSession(core::Id tenant_id, core::Id session_id) {
  sweepNowAndThen();
  core::Error not_found{core::ErrorCode::kNotFound,
                        "session " + std::to_string(session_id) + " not found (sessions expire after " +
                            std::to_string(settings_.session_ttl.count()) + " s without use)",
                        nullptr};
  auto s = store_->getSession(tenant_id, session_id);
  if (!s) return s.error().code == core::ErrorCode::kNotFound ? not_found : s.error();
  if (s->expires_at <= clock_->nowMillis()) {
    if (auto gone = deleteSessionEverywhere(*s); !gone)
      core::log::warn("cannot delete an expired CrewCode session",
                      {{"session_id", session_id}, {"error", gone.error().message}});
    return not_found;
  }
  return s;
}

core::Result<store::CrewSession> CrewCodeService::createSession(
    core::Id tenant_id, const std::string& name, const std::vector<std::pair<std::string, std::string>>& files) {
  sweepNowAndThen();
  if (auto ok = checkFiles(files); !ok) return ok.error();
  std::vector<store::SessionFile> rows;
  for (const auto& [path, content] : files) {
    store::SessionFile f;
    f.path = path;
    f.content = content;
    rows.push_back(std::move(f));
  }
  store::CrewSession s;
  s.tenant_id = tenant_id;
  s.name = name;
  s.expires_at = expiry();
  store::CrewSession out;
  auto ok = store_->transact([&](store::Store& tx) -> core::Status {
    auto created = tx.createSession(s);
    if (!created) return created.error();
    out = *created;
    if (rows.empty()) return core::okStatus();
    auto written = tx.writeSessionFiles(tenant_id, created->id, rows, {}, s.expires_at);
    if (!written) return written.error();
    out = *written;
    return core::okStatus();
  });
  if (!ok) return ok.error();
  return out;
}

core::Result<store::CrewSession> CrewCodeService::getSession(core::Id tenant_id, core::Id session_id) {
  return liveSession(tenant_id, session_id);
}

core::Result<std::vector<store::SessionFile>> CrewCodeService::listFiles(core::Id tenant_id, core::Id session_id) {
  if (auto s = liveSession(tenant_id, session_id); !s) return s.error();
  return store_->listSessionFiles(tenant_id, session_id);
}

core::Result<store::SessionFile> CrewCodeService::getFile(core::Id tenant_id, core::Id session_id,
                                                          const std::string& path) {
  if (auto ok = checkSessionPath(path); !ok) return ok.error();
  if (auto s = liveSession(tenant_id, session_id); !s) return s.error();
  return store_->getSessionFile(tenant_id, session_id, path);
}

core::Result<store::CrewSession> CrewCodeService::putFile(core::Id tenant_id, core::Id session_id,
                                                          const std::string& path, const std::string& content) {
  if (auto ok = checkFile(path, content); !ok) return ok.error();
  auto s = liveSession(tenant_id, session_id);
  if (!s) return s.error();
  std::int64_t count = s->file_count + 1;
  std::int64_t bytes = s->total_bytes + static_cast<std::int64_t>(content.size());
  if (auto old = store_->getSessionFile(tenant_id, session_id, path)) {
    count -= 1;
    bytes -= static_cast<std::int64_t>(old->content.size());
  }
  if (count > settings_.max_session_files)
    return tooLarge("session " + std::to_string(session_id) + " would hold " + std::to_string(count) + " files",
                    settings_.max_session_files);
  if (bytes > settings_.max_session_bytes)
    return tooLarge("session " + std::to_string(session_id) + " would hold " + std::to_string(bytes) + " bytes",
                    settings_.max_session_bytes);
  store::SessionFile f;
  f.path = path;
  f.content = content;
  return store_->writeSessionFiles(tenant_id, session_id, {f}, {}, expiry());
}

core::Result<core::Id> CrewCodeService::sessionWorkflow(core::Id tenant_id, store::CrewSession& session) {
  if (session.workflow_id && store_->getWorkflow(tenant_id, *session.workflow_id)) return *session.workflow_id;
  store::Workflow w;
  w.tenant_id = tenant_id;
  w.name = "crewcode session " + std::to_string(session.id) + (session.name.empty() ? "" : ": " + session.name);
  w.description = "Diff-mode updates of CrewCode session " + std::to_string(session.id);
  w.crew = "update";
  auto created = store_->createWorkflow(w);
  if (!created) return created.error();
  session.workflow_id = created->value.id;
  session.expires_at = expiry();
  auto saved = store_->updateSession(session);
  if (!saved) return saved.error();
  return created->value.id;
}

core::Result<CrewRun> CrewCodeService::update(core::Id tenant_id, core::Id session_id, const std::string& requirement) {
  auto s = liveSession(tenant_id, session_id);
  if (!s) return s.error();
  auto files = store_->listSessionFiles(tenant_id, session_id);
  if (!files) return files.error();
  if (files->empty())
    return core::Error{core::ErrorCode::kFailedPrecondition,
                       "session " + std::to_string(session_id) +
                           " has no files to update: PUT them at /sessions/{id}/files/{path} first",
                       nullptr};
  {
    std::lock_guard lock(mu_);
    if (!updating_.insert(session_id).second)
      return core::Error::conflict("an update of session " + std::to_string(session_id) +
                                   " is running: wait for it to end");
  }
  auto release = [this, session_id] {
    std::lock_guard lock(mu_);
    updating_.erase(session_id);
  };
  auto touched = store_->writeSessionFiles(tenant_id, session_id, {}, {}, expiry());
  auto workflow = touched ? sessionWorkflow(tenant_id, *touched) : core::Result<core::Id>(touched.error());
  if (!workflow) {
    release();
    return workflow.error();
  }
  CrewRequest r;
  r.crew = "update";
  r.origin = "session";
  r.goal = requirement;
  r.workflow_id = *workflow;
  for (auto& f : *files) r.files.emplace_back(std::move(f.path), std::move(f.content));
  r.on_ended = [this, tenant_id, session_id, release](const core::Result<CrewRun>& run) -> core::Status {
    release();
    if (!run) return core::okStatus();
    std::vector<store::SessionFile> upserts;
    std::vector<std::string> removed;
    for (const auto& f : run->files) {
      if (f.status == "deleted") {
        removed.push_back(f.path);
        continue;
      }
      store::SessionFile row;
      row.path = f.path;
      row.content = f.content;
      upserts.push_back(std::move(row));
    }
    auto written = store_->writeSessionFiles(tenant_id, session_id, upserts, removed, expiry());
    if (!written) return written.error();
    return core::okStatus();
  };
  return run(tenant_id, std::move(r));
}

core::Status CrewCodeService::deleteSessionEverywhere(const store::CrewSession& session) {
  {  // its semantic index (GET /sessions/{id}/search), if it was searched
    std::error_code ec;
    fs::remove_all(indexFolder(indexRootFor(workspaces_root_), session.tenant_id,
                               "session-" + std::to_string(session.id)),
                   ec);
  }
  if (session.workflow_id) {
    store::PageRequest page{1, 200};
    for (;; ++page.page) {
      auto execs = store_->listExecutions(session.tenant_id, *session.workflow_id, page);
      if (!execs) break;  // the workflow is gone already
      for (const auto& e : execs->items) {
        std::error_code ec;
        fs::remove_all(workspaceOf(e, workspaces_root_), ec);
      }
      if (static_cast<std::int64_t>(page.page) * page.page_size >= execs->total) break;
    }
    auto gone = store_->deleteWorkflow(session.tenant_id, *session.workflow_id);
    if (!gone && gone.error().code != core::ErrorCode::kNotFound) return gone;
  }
  auto gone = store_->deleteSession(session.tenant_id, session.id);
  if (!gone && gone.error().code != core::ErrorCode::kNotFound) return gone;
  return core::okStatus();
}

core::Result<int> CrewCodeService::sweepExpired() {
  int n = 0;
  for (;;) {
    auto expired = store_->listExpiredSessions(clock_->nowMillis(), kSweepBatch);
    if (!expired) return expired.error();
    int deleted = 0;
    for (const auto& s : *expired) {
      {
        std::lock_guard lock(mu_);
        if (updating_.count(s.id)) continue;  // its update pushes the expiry when it ends
      }
      if (auto ok = deleteSessionEverywhere(s); !ok) return ok.error();
      ++deleted;
    }
    n += deleted;
    if (static_cast<int>(expired->size()) < kSweepBatch || deleted == 0) break;
  }
  if (n > 0) core::log::info("expired CrewCode sessions deleted", {{"count", n}});
  return n;
}

}  // namespace codecrew::engine
