#include "storage/blob_keys.h"

#include "storage/blob_store.h"

namespace codecrew::storage {
namespace {

std::string executionPrefix(core::Id tenant, core::Id workflow, core::Id execution) {
  return "tenants/" + std::to_string(tenant) + "/workflows/" + std::to_string(workflow) + "/executions/" +
         std::to_string(execution) + "/";
}

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string artifactKey(core::Id tenant, core::Id workflow, core::Id execution, std::string_view sha256,
                        std::string_view file) {
  std::string safe;
  for (char c : file) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-';
    safe += ok ? c : '_';
  }
  if (safe.empty() || safe == "." || safe == "..") safe = "_";
  return executionPrefix(tenant, workflow, execution) + "artifacts/" + std::string(sha256) + "-" + safe;
}

std::string workspaceArchiveKey(core::Id tenant, core::Id workflow, core::Id execution) {
  return executionPrefix(tenant, workflow, execution) + "workspace.tar.gz";
}

core::Status checkBlobKey(std::string_view key) {
  if (key.empty()) return core::Error::invalidArgument("a blob key must not be empty");
  if (key.size() > 1024) return core::Error::invalidArgument("a blob key must be at most 1024 bytes");
  if (key.front() == '/')
    return core::Error::invalidArgument("a blob key must be relative: '" + std::string(key) + "'");
  for (char c : key) {
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return core::Error::invalidArgument("a blob key must not hold a backslash or a control character");
  }
  std::size_t start = 0;
  while (start <= key.size()) {
    auto end = key.find('/', start);
    if (end == std::string_view::npos) end = key.size();
    auto segment = key.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..")
      return core::Error::invalidArgument("a blob key must not hold an empty, '.' or '..' segment: '" +
                                          std::string(key) + "'");
    start = end + 1;
  }
  return core::okStatus();
}

std::optional<std::string> keyOfUri(const BlobStore& store, std::string_view uri) {
  const std::string base = store.uri("");
  if (uri.size() <= base.size() || uri.substr(0, base.size()) != base) return std::nullopt;
  std::string key(uri.substr(base.size()));
  if (!checkBlobKey(key)) return std::nullopt;
  return key;
}

std::string contentTypeOf(std::string_view name) {
  if (endsWith(name, ".md") || endsWith(name, ".markdown")) return "text/markdown; charset=utf-8";
  if (endsWith(name, ".json")) return "application/json";
  if (endsWith(name, ".yaml") || endsWith(name, ".yml")) return "application/yaml";
  if (endsWith(name, ".txt")) return "text/plain; charset=utf-8";
  if (endsWith(name, ".tar.gz") || endsWith(name, ".tgz")) return "application/gzip";
  return "application/octet-stream";
}

}  // namespace codecrew::storage
