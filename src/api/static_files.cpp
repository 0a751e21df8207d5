#include "api/static_files.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>
#include <utility>

namespace codecrew::api {
namespace fs = std::filesystem;
namespace {

core::Error missing(std::string_view relative) {
  return core::Error::notFound("no file '" + std::string(relative) + "' in the web UI");
}

// Every segment is a plain name: no empty, ".", ".." or hidden segment.
bool safeRelative(std::string_view p) {
  if (p.empty() || p.front() == '/' || p.find('\\') != std::string_view::npos || p.find('\0') != std::string_view::npos)
    return false;
  std::size_t start = 0;
  while (start <= p.size()) {
    auto end = p.find('/', start);
    if (end == std::string_view::npos) end = p.size();
    auto seg = p.substr(start, end - start);
    if (seg.empty() || seg.front() == '.') return false;
    start = end + 1;
  }
  return true;
}

bool within(const fs::path& inner, const fs::path& outer) {
  auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return o == outer.end();
}

}  // namespace

StaticFiles::StaticFiles(fs::path root) : root_(std::move(root)) {}

core::Result<StaticFiles::File> StaticFiles::read(std::string_view relative) const {
  if (!safeRelative(relative)) return missing(relative);
  std::error_code ec;
  auto root = fs::canonical(root_, ec);
  if (ec) return missing(relative);
  auto real = fs::canonical(root / fs::path(std::string(relative)), ec);
  if (ec || !within(real, root) || !fs::is_regular_file(real, ec)) return missing(relative);
  std::ifstream in(real, std::ios::binary);
  if (!in) return missing(relative);
  std::ostringstream body;
  body << in.rdbuf();
  return File{std::move(body).str(), contentType(real.filename().string())};
}

bool StaticFiles::hasIndex() const {
  std::error_code ec;
  return fs::is_regular_file(root_ / "index.html", ec);
}

std::string StaticFiles::contentType(std::string_view filename) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".wasm", "application/wasm"},
      {".webmanifest", "application/manifest+json"},
  }};
  for (const auto& [ext, type] : kTypes)
    if (filename.size() > ext.size() && filename.ends_with(ext)) return std::string(type);
  return "application/octet-stream";
}

}  // namespace codecrew::api
