// archiveRef: a commit's tree as a gzip-compressed tar (`git archive
// --format=tar.gz`), for storing a finished execution's workspace beside its
// artifacts. The repository may belong to another user (the sandbox's): it
// is read with safe.directory=*. No system or global git configuration is
// read.
// Thread-safety: blocks the calling thread until git exits; callable from
// any number of threads.
#pragma once

#include "core/result.h"

#include <chrono>
#include <cstddef>
#include <string>

namespace codecrew::tools {

// kNotFound when git is not installed, kFailedPrecondition when git fails
// (naming the ref and git's last words) or the archive passes max_bytes,
// kDeadlineExceeded after `timeout`.
core::Result<std::string> archiveRef(const std::string& repo_dir, const std::string& ref, std::size_t max_bytes,
                                     std::chrono::milliseconds timeout = std::chrono::minutes(5));

}  // namespace codecrew::tools
