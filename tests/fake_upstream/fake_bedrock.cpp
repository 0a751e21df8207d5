#include "fake_bedrock.h"

#include "cloud/aws/event_stream.h"
#include "cloud/aws/sigv4.h"
#include "core/crypto.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>

namespace codecrew::testing {

namespace bj = boost::json;
namespace aws = codecrew::cloud::aws;

namespace {

std::string lowerAscii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string headerOf(const std::vector<std::pair<std::string, std::string>>& headers, const std::string& name) {
  for (const auto& [k, v] : headers) {
    if (lowerAscii(k) == name) return v;
  }
  return "";
}

AwsRejection invalidSignature(std::string message) { return {403, "InvalidSignatureException", std::move(message)}; }

std::string frame(const std::string& event_type, const bj::object& payload) {
  aws::EventStreamMessage m;
  m.headers = {{":event-type", aws::EventStreamHeaderType::kString, event_type},
               {":content-type", aws::EventStreamHeaderType::kString, "application/json"},
               {":message-type", aws::EventStreamHeaderType::kString, "event"}};
  m.payload = bj::serialize(payload);
  return aws::encodeEventStreamMessage(m);
}

std::string stopReason(const FakeReply& r) {
  if (!r.tool_calls.empty() || r.finish == "tool_calls") return "tool_use";
  if (r.finish == "length") return "max_tokens";
  if (r.finish == "stop") return "end_turn";
  return r.finish;  // a Bedrock word as it is (stop_sequence, guardrail_intervened, content_filtered)
}

bj::object usageOf(const FakeReply& r) {
  bj::object u{{"inputTokens", r.prompt_tokens - r.cached_tokens},
               {"outputTokens", r.completion_tokens},
               {"totalTokens", r.prompt_tokens + r.completion_tokens}};
  if (r.cached_tokens) u["cacheReadInputTokens"] = r.cached_tokens;
  return u;
}

std::string toolId(const FakeToolCall& c, std::size_t i) {
  return c.id.empty() ? "tooluse_" + std::to_string(i) : c.id;
}

bj::value toolInput(const std::string& text) {
  boost::system::error_code ec;
  auto v = bj::parse(text, ec);
  return ec ? bj::value(bj::object()) : v;
}

}  // namespace

std::optional<AwsRejection> verifyAwsSignature(const FakeAwsAccount& account, const std::string& method,
                                               const std::string& target,
                                               const std::vector<std::pair<std::string, std::string>>& headers,
                                               const std::string& body) {
  std::string authorization = headerOf(headers, "authorization");
  if (authorization.empty())
    return AwsRejection{403, "MissingAuthenticationTokenException", "Missing Authentication Token"};
  auto parsed = aws::parseAuthorization(authorization);
  if (!parsed.ok()) return AwsRejection{400, "IncompleteSignatureException", parsed.error().message};
  if (parsed->access_key_id != account.access_key_id)
    return AwsRejection{403, "UnrecognizedClientException", "The security token included in the request is invalid."};
  std::string token = headerOf(headers, "x-amz-security-token");
  if (!account.session_token.empty() || !token.empty()) {
    if (token != account.session_token)
      return AwsRejection{403, "UnrecognizedClientException", "The security token included in the request is invalid."};
    if (account.token_expired)
      return AwsRejection{403, "ExpiredTokenException", "The security token included in the request is expired"};
    auto& signed_names = parsed->signed_headers;
    if (std::find(signed_names.begin(), signed_names.end(), "x-amz-security-token") == signed_names.end())
      return invalidSignature("The security token is not signed.");
  }
  if (parsed->service != account.service)
    return invalidSignature("Credential should be scoped to correct service: '" + account.service + "'. ");
  if (parsed->region != account.region)
    return invalidSignature("Credential should be scoped to a valid region, not '" + parsed->region + "'. ");
  std::string date = headerOf(headers, "x-amz-date");
  if (date.size() < 8 || date.substr(0, 8) != parsed->date)
    return invalidSignature(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + parsed->date +
        "' != '" + date.substr(0, 8) + "'");
  if (account.max_skew_seconds > 0 && date.size() == 16) {
    std::tm tm{};
    tm.tm_year = std::stoi(date.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(date.substr(4, 2)) - 1;
    tm.tm_mday = std::stoi(date.substr(6, 2));
    tm.tm_hour = std::stoi(date.substr(9, 2));
    tm.tm_min = std::stoi(date.substr(11, 2));
    tm.tm_sec = std::stoi(date.substr(13, 2));
    auto signed_at = static_cast<long long>(timegm(&tm));
    auto now = static_cast<long long>(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    if (signed_at < now - account.max_skew_seconds)
      return invalidSignature("Signature expired: " + date + " is now earlier than the allowed skew (" +
                              std::to_string(account.max_skew_seconds) + " s).");
    if (signed_at > now + account.max_skew_seconds)
      return invalidSignature("Signature not yet current: " + date + " is still later than the allowed skew.");
  }
  auto& names = parsed->signed_headers;
  if (std::find(names.begin(), names.end(), "host") == names.end())
    return invalidSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  aws::SigningRequest received;
  received.method = method;
  auto q = target.find('?');
  received.path = target.substr(0, q);
  if (q != std::string::npos) received.query = target.substr(q + 1);
  received.headers = headers;
  received.payload_hash = core::sha256Hex(body);
  if (account.service == "s3") {
    if (auto declared = headerOf(headers, "x-amz-content-sha256"); !declared.empty()) received.payload_hash = declared;
  }
  auto expected = aws::signatureOver(received, names,
                                     aws::AwsCredentials{account.access_key_id, account.secret_access_key, ""},
                                     account.region, account.service);
  if (!expected.ok()) return invalidSignature(expected.error().message);
  if (!core::constantTimeEquals(expected->signature, parsed->signature))
    return invalidSignature(
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
        "Key and signing method. Consult the service documentation for details.");
  return std::nullopt;
}

std::optional<std::string> bedrockModelOfPath(const std::string& path) {
  if (!path.starts_with("/model/")) return std::nullopt;
  std::string rest = path.substr(7);
  std::string encoded;
  if (rest.ends_with("/converse-stream")) {
    encoded = rest.substr(0, rest.size() - 16);
  } else if (rest.ends_with("/invoke")) {
    encoded = rest.substr(0, rest.size() - 7);
  } else if (rest.ends_with("/converse")) {
    encoded = rest.substr(0, rest.size() - 9);
  } else {
    return std::nullopt;
  }
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '%' && i + 2 < encoded.size()) {
      out.push_back(static_cast<char>(std::stoi(encoded.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(encoded[i]);
    }
  }
  return out;
}

std::string bedrockWhole(const FakeReply& r) {
  bj::array content;
  if (!r.text.empty()) content.push_back(bj::object{{"text", r.text}});
  for (std::size_t i = 0; i < r.tool_calls.size(); ++i) {
    const auto& c = r.tool_calls[i];
    content.push_back(bj::object{
        {"toolUse", bj::object{{"toolUseId", toolId(c, i)}, {"name", c.name}, {"input", toolInput(c.arguments)}}}});
  }
  return bj::serialize(bj::object{{"output", bj::object{{"message", bj::object{{"role", "assistant"},
                                                                               {"content", std::move(content)}}}}},
                                  {"stopReason", stopReason(r)},
                                  {"usage", usageOf(r)},
                                  {"metrics", bj::object{{"latencyMs", 42}}}});
}

std::vector<std::string> bedrockStream(const FakeReply& r) {
  std::vector<std::string> frames;
  frames.push_back(frame("messageStart", bj::object{{"role", "assistant"}}));
  int index = 0;
  if (!r.text.empty()) {
    for (std::size_t at = 0; at < r.text.size();) {
      std::size_t end = std::min(r.text.size(), at + 8);
      while (end < r.text.size() && (static_cast<unsigned char>(r.text[end]) & 0xC0) == 0x80) ++end;
      frames.push_back(
          frame("contentBlockDelta", bj::object{{"contentBlockIndex", index},
                                                {"delta", bj::object{{"text", r.text.substr(at, end - at)}}}}));
      at = end;
    }
    frames.push_back(frame("contentBlockStop", bj::object{{"contentBlockIndex", index}}));
    ++index;
  }
  for (std::size_t i = 0; i < r.tool_calls.size(); ++i, ++index) {
    const auto& c = r.tool_calls[i];
    frames.push_back(
        frame("contentBlockStart", bj::object{{"contentBlockIndex", index},
                                              {"start", bj::object{{"toolUse", bj::object{{"toolUseId", toolId(c, i)},
                                                                                          {"name", c.name}}}}}}));
    for (std::size_t at = 0; at < c.arguments.size(); at += 5)
      frames.push_back(
          frame("contentBlockDelta",
                bj::object{{"contentBlockIndex", index},
                           {"delta", bj::object{{"toolUse", bj::object{{"input", c.arguments.substr(at, 5)}}}}}}));
    frames.push_back(frame("contentBlockStop", bj::object{{"contentBlockIndex", index}}));
  }
  frames.push_back(frame("messageStop", bj::object{{"stopReason", stopReason(r)}}));
  frames.push_back(frame("metadata", bj::object{{"usage", usageOf(r)}, {"metrics", bj::object{{"latencyMs", 42}}}}));
  return frames;
}

std::string bedrockStreamException(const std::string& exception_type, const std::string& message) {
  aws::EventStreamMessage m;
  m.headers = {{":exception-type", aws::EventStreamHeaderType::kString, exception_type},
               {":content-type", aws::EventStreamHeaderType::kString, "application/json"},
               {":message-type", aws::EventStreamHeaderType::kString, "exception"}};
  m.payload = bj::serialize(bj::object{{"message", message}});
  return aws::encodeEventStreamMessage(m);
}

std::string bedrockErrorType(int status) {
  switch (status) {
    case 400: return "ValidationException";
    case 403: return "AccessDeniedException";
    case 404: return "ResourceNotFoundException";
    case 408: return "ModelTimeoutException";
    case 424: return "ModelErrorException";
    case 429: return "ThrottlingException";
    case 503: return "ServiceUnavailableException";
    default: return status >= 500 ? "InternalServerException" : "ValidationException";
  }
}

std::string bedrockErrorBody(const std::string& message) { return bj::serialize(bj::object{{"message", message}}); }

}  // namespace codecrew::testing
