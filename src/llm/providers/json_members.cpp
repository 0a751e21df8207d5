#include "llm/providers/json_members.h"

#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace codecrew::llm::json {

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void appendUtf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Skips a string's plain characters from `i` in 16-byte steps: returns the
// index of the first quote, backslash or control character (below 0x20) in
// those steps, or else where the whole steps end (the caller's byte loop
// finishes the tail).
std::size_t skipPlain(const char* data, std::size_t i, std::size_t size) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i high = _mm_set1_epi8(static_cast<char>(0xE0));
  const __m128i zero = _mm_setzero_si128();
  while (i + 16 <= size) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    const __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                      _mm_cmpeq_epi8(_mm_and_si128(v, high), zero));  // c < 0x20
    if (const int mask = _mm_movemask_epi8(stop)) return i + static_cast<std::size_t>(__builtin_ctz(mask));
    i += 16;
  }
#endif
  return i;
}

unsigned hex4(std::string_view s) {
  unsigned v = 0;
  for (char c : s) v = v * 16 + static_cast<unsigned>(hexValue(c));
  return v;
}

// Decodes the inside of a string already checked by Scanner::string.
std::string decode(std::string_view inner) {
  std::string out;
  out.reserve(inner.size());
  for (std::size_t i = 0; i < inner.size(); ++i) {
    char c = inner[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    char e = inner[++i];
    switch (e) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        unsigned cp = hex4(inner.substr(i + 1, 4));
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < inner.size() && inner[i + 1] == '\\' && inner[i + 2] == 'u') {
          unsigned low = hex4(inner.substr(i + 3, 4));
          if (low >= 0xDC00 && low < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        appendUtf8(out, cp);
        break;
      }
      default: out += e; break;  // " \ /
    }
  }
  return out;
}

using MemberFn = std::function<bool(std::string_view, std::string_view)>;

// A recursive-descent walk over JSON text that checks its grammar.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : t_(text) {}

  // The whole text is one object (whitespace around); members reported.
  bool topObject(const MemberFn& on_member) {
    space();
    if (!at('{')) return false;
    if (!object(1, &on_member)) return false;
    if (stopped_) return true;
    space();
    return p_ == t_.size();
  }

  // The whole text is one string; its inside (between the quotes) in `inner`.
  bool onlyString(std::string_view& inner) {
    bool escaped = false;
    const std::size_t begin = p_;
    if (!string(escaped)) return false;
    inner = t_.substr(begin + 1, p_ - begin - 2);
    return p_ == t_.size();
  }

 private:
  bool at(char c) const { return p_ < t_.size() && t_[p_] == c; }
  void space() {
    while (p_ < t_.size() && isSpace(t_[p_])) ++p_;
  }

  bool string(bool& escaped) {
    if (!at('"')) return false;
    ++p_;
    escaped = false;
    const char* const data = t_.data();
    const std::size_t size = t_.size();
    while (p_ < size) {
      // Plain characters first, 16 at a time: they are most of a body.
      p_ = skipPlain(data, p_, size);
      while (p_ < size) {
        const auto c = static_cast<unsigned char>(data[p_]);
        if (c == '"' || c == '\\' || c < 0x20) break;
        ++p_;
      }
      if (p_ >= size) return false;
      const auto c = static_cast<unsigned char>(data[p_]);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      escaped = true;
      if (++p_ >= t_.size()) return false;
      const char e = t_[p_];
      if (e == 'u') {
        if (p_ + 4 >= t_.size()) return false;
        for (std::size_t i = 1; i <= 4; ++i) {
          if (hexValue(t_[p_ + i]) < 0) return false;
        }
        p_ += 5;
        continue;
      }
      if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') return false;
      ++p_;
    }
    return false;
  }

  bool digits() {
    const std::size_t begin = p_;
    while (p_ < t_.size() && isDigit(t_[p_])) ++p_;
    return p_ > begin;
  }

  bool number() {
    if (at('-')) ++p_;
    if (at('0')) {
      ++p_;
    } else if (!digits()) {
      return false;
    }
    if (at('.')) {
      ++p_;
      if (!digits()) return false;
    }
    if (at('e') || at('E')) {
      ++p_;
      if (at('+') || at('-')) ++p_;
      if (!digits()) return false;
    }
    return true;
  }

  bool literal(std::string_view word) {
    if (t_.substr(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  bool value(int depth) {
    if (p_ >= t_.size()) return false;
    switch (t_[p_]) {
      case '{': return object(depth + 1, nullptr);
      case '[': return array(depth + 1);
      case '"': {
        bool escaped = false;
        return string(escaped);
      }
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default: return number();
    }
  }

  bool array(int depth) {
    if (depth > kMaxJsonDepth) return false;
    ++p_;
    space();
    if (at(']')) {
      ++p_;
      return true;
    }
    for (;;) {
      if (!value(depth)) return false;
      space();
      if (at(',')) {
        ++p_;
        space();
        continue;
      }
      if (!at(']')) return false;
      ++p_;
      return true;
    }
  }

  bool object(int depth, const MemberFn* on_member) {
    if (depth > kMaxJsonDepth) return false;
    ++p_;
    space();
    if (at('}')) {
      ++p_;
      return true;
    }
    for (;;) {
      const std::size_t name_begin = p_;
      bool escaped = false;
      if (!string(escaped)) return false;
      const std::size_t name_end = p_;
      space();
      if (!at(':')) return false;
      ++p_;
      space();
      const std::size_t value_begin = p_;
      if (!value(depth)) return false;
      if (on_member) {
        std::string_view inner = t_.substr(name_begin + 1, name_end - name_begin - 2);
        std::string decoded;
        if (escaped) {
          decoded = decode(inner);
          inner = decoded;
        }
        if (!(*on_member)(inner, t_.substr(value_begin, p_ - value_begin))) {
          stopped_ = true;
          return true;
        }
      }
      space();
      if (at(',')) {
        ++p_;
        space();
        continue;
      }
      if (!at('}')) return false;
      ++p_;
      return true;
    }
  }

  std::string_view t_;
  std::size_t p_ = 0;
  bool stopped_ = false;
};

}  // namespace

bool forEachMember(std::string_view text, const MemberFn& on_member) { return Scanner(text).topObject(on_member); }

std::optional<std::string> replaceMember(std::string_view text, std::string_view name, std::string_view value_json) {
  std::vector<std::string_view> spans;
  bool valid = forEachMember(text, [&](std::string_view member, std::string_view value) {
    if (member == name) spans.push_back(value);
    return true;
  });
  if (!valid) return std::nullopt;
  std::string out;
  out.reserve(text.size() + spans.size() * value_json.size());
  std::size_t done = 0;
  for (auto span : spans) {
    const auto begin = static_cast<std::size_t>(span.data() - text.data());
    out.append(text.substr(done, begin - done));
    out.append(value_json);
    done = begin + span.size();
  }
  out.append(text.substr(done));
  return out;
}

std::optional<std::string> stringValue(std::string_view value) {
  std::string_view inner;
  if (!Scanner(value).onlyString(inner)) return std::nullopt;
  if (inner.find('\\') == std::string_view::npos) return std::string(inner);
  return decode(inner);
}

}  // namespace codecrew::llm::json
