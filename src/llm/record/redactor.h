// Redactor: removes secrets from what codecrew stores about LLM calls
// (request/response bodies, headers, URLs). It replaces, with "[REDACTED]":
//  - every configured secret string (provider API keys),
//  - the values of credential headers (Authorization, api-key, x-api-key,
//    x-goog-api-key, X-Amz-Security-Token, Proxy-Authorization, Cookie),
//  - every match of the configured patterns (RE2 syntax) and of built-in
//    patterns for common key shapes (sk-..., sk-ant-..., AIza..., gsk_...).
// Thread-safety: immutable after construction; safe from any thread.
#pragma once

#include "core/result.h"
#include "http/client/http_client.h"

#include <boost/json/value.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace codecrew::llm {

class Redactor {
 public:
  static constexpr std::string_view kMask = "[REDACTED]";

  // kInvalidArgument naming the pattern if one does not compile.
  static core::Result<std::shared_ptr<Redactor>> create(std::vector<std::string> secrets,
                                                        const std::vector<std::string>& patterns = {});
  ~Redactor();

  std::string text(std::string_view in) const;
  http::Headers headers(const http::Headers& in) const;
  // Redacts every string (and object key's value under a credential name).
  boost::json::value json(const boost::json::value& in) const;
  // The same, in place: strings that need no redaction are neither copied
  // nor reallocated.
  boost::json::value json(boost::json::value&& in) const;

  static bool isCredentialHeader(std::string_view name);

 private:
  Redactor() = default;
  // Whether text() would change `in` (a secret or a pattern occurs in it).
  bool needsRedaction(std::string_view in) const;
  // Masks the values under credential names and, when `strings`, redacts
  // every string that needs it.
  void redactInPlace(boost::json::value& v, bool strings) const;
  std::vector<std::string> secrets_;
  std::vector<std::unique_ptr<re2::RE2>> patterns_;
  std::unique_ptr<re2::RE2> any_pattern_;  // every pattern in one alternation: one scan finds text with no match
  // No pattern can anchor to the start or end of its text (^, $, \A, \z):
  // a string that needs redaction then makes the newline-joined strings of
  // its JSON document need it too, so one check of the joined text clears
  // the whole document.
  bool joined_check_ = false;
};

}  // namespace codecrew::llm
