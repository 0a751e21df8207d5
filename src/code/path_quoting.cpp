#include "code/path_quoting.h"

namespace codecrew::code {

namespace {
char escapeFor(unsigned char c) {
  switch (c) {
    case '\a': return 'a';
    case '\b': return 'b';
    case '\t': return 't';
    case '\n': return 'n';
    case '\v': return 'v';
    case '\f': return 'f';
    case '\r': return 'r';
    case '"': return '"';
    case '\\': return '\\';
    default: return 0;
  }
}

int unescape(char c) {
  switch (c) {
    case 'a': return '\a';
    case 'b': return '\b';
    case 't': return '\t';
    case 'n': return '\n';
    case 'v': return '\v';
    case 'f': return '\f';
    case 'r': return '\r';
    case '"': return '"';
    case '\\': return '\\';
    default: return -1;
  }
}

bool isOctal(char c) { return c >= '0' && c <= '7'; }
}  // namespace

bool needsQuoting(std::string_view path) {
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f || c >= 0x80 || c == '"' || c == '\\') return true;
  }
  return false;
}

std::string quotePath(std::string_view prefix, std::string_view path) {
  std::string whole(prefix);
  whole.append(path);
  if (!needsQuoting(whole)) return whole;
  std::string out = "\"";
  for (unsigned char c : whole) {
    if (char e = escapeFor(c)) {
      out.push_back('\\');
      out.push_back(e);
    } else if (c < 0x20 || c >= 0x7f) {
      out.push_back('\\');
      out.push_back(static_cast<char>('0' + ((c >> 6) & 7)));
      out.push_back(static_cast<char>('0' + ((c >> 3) & 7)));
      out.push_back(static_cast<char>('0' + (c & 7)));
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
  return out;
}

core::Result<std::string> unquotePath(std::string_view text, size_t* consumed) {
  if (text.empty() || text.front() != '"') {
    size_t end = text.find('\t');
    if (end == std::string_view::npos) end = text.size();
    if (consumed) *consumed = end;
    return std::string(text.substr(0, end));
  }
  std::string out;
  for (size_t i = 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      if (consumed) *consumed = i + 1;
      return out;
    }
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i >= text.size()) break;
    if (isOctal(text[i]) && i + 2 < text.size() && isOctal(text[i + 1]) && isOctal(text[i + 2])) {
      out.push_back(static_cast<char>(((text[i] - '0') << 6) | ((text[i + 1] - '0') << 3) | (text[i + 2] - '0')));
      i += 2;
      continue;
    }
    int u = unescape(text[i]);
    if (u < 0) return core::Error::invalidArgument("bad escape in quoted path: " + std::string(text));
    out.push_back(static_cast<char>(u));
  }
  return core::Error::invalidArgument("unterminated quoted path: " + std::string(text));
}

}  // namespace codecrew::code
