#include "engine/workspace_recorder.h"

#include "core/crypto.h"
#include "core/utf8.h"

namespace codecrew::engine {
namespace {

std::string toHex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
  }
  return out;
}

std::optional<std::string> fromHex(const std::string& hex) {
  if (hex.size() % 2) return std::nullopt;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    int hi = digit(hex[2 * i]), lo = digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>(hi << 4 | lo);
  }
  return out;
}

}  // namespace

void encodeWorkspaceStep(store::WorkspaceStep& step) {
  if (core::isStorableUtf8(step.object) && core::isStorableUtf8(step.patch)) return;
  step.object = toHex(step.object);
  step.patch = toHex(step.patch);
  step.encoding = "hex";
}

core::Status decodeWorkspaceStep(store::WorkspaceStep& step) {
  if (step.encoding.empty()) return core::okStatus();
  auto object = fromHex(step.object);
  auto patch = fromHex(step.patch);
  if (step.encoding != "hex" || !object || !patch)
    return core::Error{core::ErrorCode::kFailedPrecondition,
                       "workspace step " + std::to_string(step.seq) + " is not readable (encoding '" + step.encoding +
                           "')",
                       nullptr};
  step.object = std::move(*object);
  step.patch = std::move(*patch);
  step.encoding.clear();
  return core::okStatus();
}

core::Status WorkspaceRecorder::noteBase(tools::GitRepository& git, WorkspaceLog& log, const std::string& base,
                                         bool base_in_store) {
  log = WorkspaceLog{.copy = log.copy};
  log.base_in_store = base_in_store;
  if (!base_in_store) {
    log.head = base;
    return core::okStatus();
  }
  return noteCommits(git, log, base);
}

core::Status WorkspaceRecorder::noteCommits(tools::GitRepository& git, WorkspaceLog& log, const std::string& head) {
  if (head == log.head) return core::okStatus();
  auto commits = git.commitsSince(log.head, head);
  if (!commits) return commits.error();
  for (const auto& sha : *commits) {
    store::WorkspaceStep step;
    step.tenant_id = tenant_id_;
    step.execution_id = execution_id_;
    step.seq = ++log.steps;
    step.commit = sha;
    auto object = git.commitObject(sha);
    if (!object) return object.error();
    auto patch = git.commitPatch(sha);
    if (!patch) return patch.error();
    step.object = std::move(object).value();
    step.patch = std::move(patch).value();
    encodeWorkspaceStep(step);
    steps_.push_back(std::move(step));
  }
  log.head = head;
  return core::okStatus();
}

core::Status WorkspaceRecorder::noteChanges(tools::GitRepository& git, WorkspaceLog& log) {
  auto patch = git.workingTreePatch(log.head);
  if (!patch) return patch.error();
  std::string checksum = patch->empty() ? std::string() : core::sha256Hex(*patch);
  if (checksum == log.changes) return core::okStatus();
  store::WorkspaceStep changes;
  changes.tenant_id = tenant_id_;
  changes.execution_id = execution_id_;
  changes.patch = std::move(patch).value();
  encodeWorkspaceStep(changes);
  changes_ = std::move(changes);
  log.changes = std::move(checksum);
  return core::okStatus();
}

void WorkspaceRecorder::noteNoChanges(WorkspaceLog& log) {
  if (log.changes.empty()) return;
  store::WorkspaceStep changes;
  changes.tenant_id = tenant_id_;
  changes.execution_id = execution_id_;
  changes_ = std::move(changes);
  log.changes.clear();
}

core::Status WorkspaceRecorder::write(store::Store& tx) const {
  for (const auto& step : steps_)
    if (auto added = tx.addWorkspaceStep(step); !added) return added.error();
  if (changes_)
    if (auto set = tx.setWorkspaceChanges(*changes_); !set) return set;
  return core::okStatus();
}

void WorkspaceRecorder::written() {
  steps_.clear();
  changes_.reset();
}

}  // namespace codecrew::engine
