#include "engine/session_path.h"

#include <string>

namespace codecrew::engine {
namespace {

core::Error bad(std::string_view path, const std::string& why) {
  return core::Error::invalidArgument("file path '" + std::string(path) + "' " + why,
                                      boost::json::object{{"path", std::string(path)}});
}

bool validUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
    if (extra < 0 || i + extra >= s.size()) return false;
    for (int k = 1; k <= extra; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace

core::Status checkSessionPath(std::string_view path) {
  if (path.empty()) return bad(path, "is empty");
  if (path.size() > kMaxSessionPathLength)
    return bad(path.substr(0, 40), "is longer than " + std::to_string(kMaxSessionPathLength) + " bytes");
  if (path.front() == '/') return bad(path, "is absolute: give a path relative to the project root");
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f) return bad(path, "contains a control character");
    if (c == '\\') return bad(path, "contains a backslash: separate directories with '/'");
  }
  if (path.size() >= 2 && path[1] == ':') return bad(path, "is absolute: give a path relative to the project root");
  if (!validUtf8(path)) return bad(path, "is not valid UTF-8");
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    auto seg = path.substr(start, end - start);
    if (seg.empty()) return bad(path, "has an empty segment ('//' or a trailing '/')");
    if (seg == "." || seg == "..")
      return bad(path, "has a '" + std::string(seg) + "' segment: paths stay inside the project");
    if (seg == ".git") return bad(path, "is inside .git, which the workspace's repository owns");
    start = end + 1;
  }
  return core::okStatus();
}

core::Status checkTextContent(std::string_view path, std::string_view content) {
  if (content.find('\0') != std::string_view::npos || !validUtf8(content))
    return core::Error::invalidArgument("file '" + std::string(path) +
                                            "' is not UTF-8 text: CrewCode sessions hold source files only",
                                        boost::json::object{{"path", std::string(path)}});
  return core::okStatus();
}

}  // namespace codecrew::engine
