#include "http/request.h"

#include <algorithm>
#include <cctype>

namespace codecrew::http {

namespace {

// ASCII case folding: header names are tokens (RFC 9110), and unlike
// std::tolower this does not consult the C locale for every character.
inline unsigned char foldAscii(char c) {
  auto u = static_cast<unsigned char>(c);
  return u >= 'A' && u <= 'Z' ? static_cast<unsigned char>(u + ('a' - 'A')) : u;
}

}  // namespace

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char x = foldAscii(a[i]);
    const unsigned char y = foldAscii(b[i]);
    if (x != y) return x < y;
  }
  return a.size() < b.size();
}

std::optional<std::string> Request::queryParam(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return v;
  return std::nullopt;
}

std::optional<std::string> Request::header(std::string_view name) const {
  auto it = headers.find(name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

const std::string& Request::param(const std::string& name) const {
  static const std::string kEmpty;
  auto it = params.find(name);
  return it == params.end() ? kEmpty : it->second;
}

}  // namespace codecrew::http
