#include "llm/providers/openai_answer_text.h"

#include "llm/providers/json_members.h"

#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>

#include <charconv>
#include <cstdint>

namespace codecrew::llm {

namespace {

bool isJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trimmed(std::string_view v) {
  while (!v.empty() && isJsonSpace(v.front())) v.remove_prefix(1);
  while (!v.empty() && isJsonSpace(v.back())) v.remove_suffix(1);
  return v;
}

std::int64_t integerOf(std::string_view value) {
  std::int64_t n = 0;
  std::from_chars(value.data(), value.data() + value.size(), n);
  return n;
}

}  // namespace

bool isEmptyJsonArray(std::string_view value) {
  if (value.empty() || value.front() != '[') return false;
  return trimmed(value.substr(1)) == "]";
}

std::string quotedJsonString(const std::string& text) { return boost::json::serialize(boost::json::string_view(text)); }

std::optional<Usage> openAiUsageFromText(std::string_view value) {
  if (value.empty() || value.front() != '{') return std::nullopt;
  Usage usage;
  usage.reported = true;
  json::forEachMember(value, [&](std::string_view name, std::string_view v) {
    if (name == "prompt_tokens") {
      usage.prompt_tokens = integerOf(v);
    } else if (name == "completion_tokens") {
      usage.completion_tokens = integerOf(v);
    } else if (name == "total_tokens") {
      usage.total_tokens = integerOf(v);
    } else if (name == "prompt_tokens_details" && !v.empty() && v.front() == '{') {
      json::forEachMember(v, [&](std::string_view detail, std::string_view d) {
        if (detail == "cached_tokens") usage.cached_prompt_tokens = integerOf(d);
        return true;
      });
    }
    return true;
  });
  if (usage.total_tokens == 0) usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  return usage;
}

// A quote that ends a string is never preceded by a backslash inside it, so
// "finish_reason" followed by a colon is a key.
std::string openAiFinishReasonFromText(std::string_view text) {
  static constexpr std::string_view kKey = "\"finish_reason\"";
  for (auto pos = text.find(kKey); pos != std::string_view::npos; pos = text.find(kKey, pos + 1)) {
    if (pos > 0 && text[pos - 1] == '\\') continue;
    auto p = pos + kKey.size();
    while (p < text.size() && isJsonSpace(text[p])) ++p;
    if (p >= text.size() || text[p] != ':') continue;
    ++p;
    while (p < text.size() && isJsonSpace(text[p])) ++p;
    if (p >= text.size() || text[p] != '"') return {};
    auto end = text.find('"', p + 1);
    if (end == std::string_view::npos) return {};
    return std::string(text.substr(p + 1, end - p - 1));
  }
  return {};
}

bool readOpenAiAnswerMembers(std::string_view text, OpenAiAnswerMembers& out) {
  return json::forEachMember(text, [&](std::string_view name, std::string_view value) {
    if (name == "usage") {
      out.usage = value;
    } else if (name == "choices") {
      out.choices = value;
    } else if (name == "error") {
      out.has_error = true;
    } else if (name == "model") {
      out.has_model = true;
    }
    return true;
  });
}

}  // namespace codecrew::llm
