#include "core/json_text.h"

#include <boost/json/serialize.hpp>

#include <charconv>
#include <string_view>
#include <system_error>

namespace codecrew::core {
namespace {

bool isNumberChar(char c) { return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'; }

// Appends `number` (a double as Boost.JSON wrote it, with an exponent) in its readable form.
void appendNumber(std::string& out, std::string_view number) {
  double d = 0;
  auto parsed = std::from_chars(number.data(), number.data() + number.size(), d);
  if (parsed.ec != std::errc() || parsed.ptr != number.data() + number.size()) {
    out.append(number);  // out of range (Boost's stand-in for infinity): left as written
    return;
  }
  char buf[32];
  auto written = std::to_chars(buf, buf + sizeof buf, d);  // shortest round trip
  std::string_view text(buf, static_cast<std::size_t>(written.ptr - buf));
  out.append(text);
  if (text.find_first_of(".e") == std::string_view::npos) out.append(".0");  // still a double when read back
}

}  // namespace

void readableDoubles(std::string& text) {
  if (text.find('E') == std::string::npos) return;
  // Copies only once a number is rewritten, and then span by span: text
  // whose 'E's are all inside strings is left as it is.
  std::string out;
  std::size_t copied = 0;  // text[0, copied) is in out
  bool in_string = false;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;  // the escaped character: \" does not end the string
      else if (c == '"') in_string = false;
      ++i;
      continue;
    }
    if (c == '"') {
      in_string = true;
      ++i;
      continue;
    }
    if (c != '-' && (c < '0' || c > '9')) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && isNumberChar(text[end])) ++end;
    const std::string_view number = std::string_view(text).substr(i, end - i);
    if (number.find('E') != std::string_view::npos) {
      if (copied == 0) out.reserve(text.size());
      out.append(text, copied, i - copied);
      appendNumber(out, number);
      copied = end;
    }
    i = end;
  }
  if (copied == 0) return;
  out.append(text, copied, std::string::npos);
  text = std::move(out);
}

std::string jsonText(const boost::json::value& value) {
  std::string text = boost::json::serialize(value);
  readableDoubles(text);
  return text;
}

}  // namespace codecrew::core
