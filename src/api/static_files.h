// StaticFiles: the files of one directory (the built web UI, web/dist),
// looked up by a relative path taken from a URL, with their content type.
// A path that is empty, absolute, has an empty, "." or ".." segment, a
// segment starting with '.', a backslash or a NUL, or that resolves (through
// symlinks) outside the directory, is kNotFound, exactly like a missing file:
// a client cannot tell the two apart.
// Thread-safety: immutable after construction; read() may run on any thread
// (it reads the file on each call; the OS caches it).
#pragma once

#include "core/result.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace codecrew::api {

class StaticFiles {
 public:
  struct File {
    std::string body;
    std::string content_type;
  };

  explicit StaticFiles(std::filesystem::path root);

  // The regular file at `relative` under the root (e.g. "index.html",
  // "assets/index-3f9a.js"), or kNotFound naming the path.
  core::Result<File> read(std::string_view relative) const;

  // True when the root holds a regular index.html.
  bool hasIndex() const;

  const std::filesystem::path& root() const { return root_; }

  // The Content-Type for a file name by its extension (html, js, mjs, css,
  // svg, png, jpg, gif, webp, ico, json, map, txt, woff, woff2, wasm);
  // application/octet-stream for anything else.
  static std::string contentType(std::string_view filename);

 private:
  std::filesystem::path root_;
};

}  // namespace codecrew::api
