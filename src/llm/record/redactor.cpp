#include "llm/record/redactor.h"

#include <re2/re2.h>
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace codecrew::llm {

namespace {

constexpr const char* kBuiltInPatterns[] = {
    R"(sk-[A-Za-z0-9_\-]{16,})",
    R"(AIza[0-9A-Za-z_\-]{30,})",
    R"(gsk_[A-Za-z0-9]{20,})",
    R"((?i)bearer\s+[A-Za-z0-9._~+/\-]{8,}=*)",
};

// Whether a pattern may anchor to its text's edges; a conservative reading
// of the pattern's text (a '^' in a negated class counts too).
bool mayAnchor(std::string_view pattern) {
  return pattern.find_first_of("^$") != std::string_view::npos || pattern.find("\\A") != std::string_view::npos ||
         pattern.find("\\z") != std::string_view::npos;
}

// The document's string values, each followed by a newline.
void appendStrings(const boost::json::value& v, std::string& out) {
  switch (v.kind()) {
    case boost::json::kind::string:
      out.append(v.get_string().data(), v.get_string().size());
      out.push_back('\n');
      return;
    case boost::json::kind::array:
      for (const auto& item : v.get_array()) appendStrings(item, out);
      return;
    case boost::json::kind::object:
      for (const auto& [k, item] : v.get_object()) appendStrings(item, out);
      return;
    default: return;
  }
}

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

Redactor::~Redactor() = default;

core::Result<std::shared_ptr<Redactor>> Redactor::create(std::vector<std::string> secrets,
                                                         const std::vector<std::string>& patterns) {
  std::shared_ptr<Redactor> r(new Redactor());
  for (auto& s : secrets) {
    if (s.size() >= 4) r->secrets_.push_back(std::move(s));
  }
  std::sort(r->secrets_.begin(), r->secrets_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  std::vector<std::string> all(std::begin(kBuiltInPatterns), std::end(kBuiltInPatterns));
  all.insert(all.end(), patterns.begin(), patterns.end());
  std::string alternation;
  for (const auto& p : all) {
    auto re = std::make_unique<re2::RE2>(p, re2::RE2::Quiet);
    if (!re->ok()) return core::Error::invalidArgument("redaction pattern '" + p + "' is invalid: " + re->error());
    r->patterns_.push_back(std::move(re));
    alternation += (alternation.empty() ? "(?:" : "|(?:") + p + ")";
  }
  re2::RE2::Options options(re2::RE2::Quiet);
  options.set_never_capture(true);
  r->any_pattern_ = std::make_unique<re2::RE2>(alternation, options);
  if (!r->any_pattern_->ok()) r->any_pattern_.reset();  // each pattern alone compiled: scan them one by one
  r->joined_check_ = std::none_of(all.begin(), all.end(), [](const std::string& p) { return mayAnchor(p); });
  return r;
}

bool Redactor::isCredentialHeader(std::string_view name) {
  for (std::string_view h : {"authorization", "api-key", "x-api-key", "x-goog-api-key", "x-amz-security-token",
                             "proxy-authorization", "cookie", "set-cookie"}) {
    if (iequal(name, h)) return true;
  }
  return false;
}

bool Redactor::needsRedaction(std::string_view in) const {
  for (const auto& secret : secrets_) {
    if (in.find(secret) != std::string_view::npos) return true;
  }
  return !any_pattern_ || re2::RE2::PartialMatch(re2::StringPiece(in.data(), in.size()), *any_pattern_);
}

std::string Redactor::text(std::string_view in) const {
  if (!needsRedaction(in)) return std::string(in);
  std::string out(in);
  for (const auto& secret : secrets_) {
    for (auto pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos + kMask.size()))
      out.replace(pos, secret.size(), kMask);
  }
  for (const auto& re : patterns_) re2::RE2::GlobalReplace(&out, *re, std::string(kMask));
  return out;
}

http::Headers Redactor::headers(const http::Headers& in) const {
  http::Headers out;
  for (const auto& [name, value] : in)
    out.emplace_back(name, isCredentialHeader(name) ? std::string(kMask) : text(value));
  return out;
}

boost::json::value Redactor::json(const boost::json::value& in) const { return json(boost::json::value(in)); }

boost::json::value Redactor::json(boost::json::value&& in) const {
  bool strings = true;
  if (joined_check_ && !in.is_string()) {
    std::string joined;
    appendStrings(in, joined);
    strings = needsRedaction(joined);
  }
  redactInPlace(in, strings);
  return std::move(in);
}

void Redactor::redactInPlace(boost::json::value& v, bool strings) const {
  switch (v.kind()) {
    case boost::json::kind::string: {
      const auto& s = v.get_string();
      if (strings && needsRedaction(s)) v = text(s);
      return;
    }
    case boost::json::kind::array:
      for (auto& item : v.get_array()) redactInPlace(item, strings);
      return;
    case boost::json::kind::object:
      for (auto& [k, item] : v.get_object()) {
        bool credential = isCredentialHeader(k) || iequal(k, "api_key") || iequal(k, "apikey");
        if (credential && item.is_string()) {
          item = kMask;
        } else {
          redactInPlace(item, strings);
        }
      }
      return;
    default: return;
  }
}

}  // namespace codecrew::llm
