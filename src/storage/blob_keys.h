// Blob keys: the names the server gives what it stores (blob_store.h), so
// that no client ever names a key. An artifact's key is addressed by its
// content, so writing it again after a crash writes the same object:
//   tenants/<tenant>/workflows/<workflow>/executions/<execution>/artifacts/<sha256>-<file>
// and a finished execution's workspace:
//   tenants/<tenant>/workflows/<workflow>/executions/<execution>/workspace.tar.gz
// Thread-safety: pure functions.
#pragma once

#include "core/ids.h"
#include "core/result.h"

#include <optional>
#include <string>
#include <string_view>

namespace codecrew::storage {

class BlobStore;

// `file` is the artifact's file name ("plan.json", "design.md"); characters
// other than letters, digits, '.', '_' and '-' become '_'.
std::string artifactKey(core::Id tenant, core::Id workflow, core::Id execution, std::string_view sha256,
                        std::string_view file);
std::string workspaceArchiveKey(core::Id tenant, core::Id workflow, core::Id execution);

// kInvalidArgument unless `key` is relative, '/'-separated, at most 1024
// bytes, with no empty, "." or ".." segment, no backslash and no control
// character.
core::Status checkBlobKey(std::string_view key);

// The key of `uri` when the store holds it (the uri starts with the
// store's uri of the empty key), else nullopt.
std::optional<std::string> keyOfUri(const BlobStore& store, std::string_view uri);

// The Content-Type a name's extension suggests (.md text/markdown, .json
// application/json, .yaml, .tar.gz, ...; else application/octet-stream).
std::string contentTypeOf(std::string_view name);

}  // namespace codecrew::storage
