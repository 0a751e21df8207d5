#include "llm/provider_error.h"

#include "core/http_date.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>

namespace codecrew::llm {

using core::Error;
using core::ErrorCode;
using std::chrono::milliseconds;

namespace {

struct KindInfo {
  FailureKind kind;
  std::string_view name;
  ErrorCode code;
  bool retryable;
};

constexpr KindInfo kKinds[] = {
    {FailureKind::kRateLimited, "rate_limited", ErrorCode::kResourceExhausted, true},
    {FailureKind::kServer, "server_error", ErrorCode::kUnavailable, true},
    {FailureKind::kTimeout, "timeout", ErrorCode::kDeadlineExceeded, true},
    {FailureKind::kNetwork, "network_error", ErrorCode::kUnavailable, true},
    {FailureKind::kContextLength, "context_length", ErrorCode::kInvalidArgument, false},
    {FailureKind::kAuth, "auth_error", ErrorCode::kUnauthenticated, false},
    {FailureKind::kBadRequest, "bad_request", ErrorCode::kInvalidArgument, false},
    {FailureKind::kMalformed, "malformed_response", ErrorCode::kUnavailable, true},
    {FailureKind::kCancelled, "cancelled", ErrorCode::kCancelled, false},
    {FailureKind::kOverBudget, "over_budget", ErrorCode::kResourceExhausted, false},
    {FailureKind::kCircuitOpen, "circuit_open", ErrorCode::kUnavailable, false},
    {FailureKind::kOther, "error", ErrorCode::kInternal, false},
};

const KindInfo& info(FailureKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k;
  }
  return kKinds[std::size(kKinds) - 1];
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The human part of an error body: error.message, error (string), message.
std::string bodyMessage(std::string_view body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (!ec) {
    if (auto* o = v.if_object()) {
      if (auto* e = o->if_contains("error")) {
        if (e->is_string()) return std::string(e->as_string());
        if (auto* eo = e->if_object()) {
          if (auto* m = eo->if_contains("message"); m && m->is_string()) return std::string(m->as_string());
        }
      }
      if (auto* m = o->if_contains("message"); m && m->is_string()) return std::string(m->as_string());
    }
  }
  return std::string(body.substr(0, 300));
}

}  // namespace

std::string_view failureKindName(FailureKind kind) { return info(kind).name; }

Error providerError(FailureKind kind, std::string message, int http_status, std::optional<milliseconds> retry_after) {
  boost::json::object details;
  details["kind"] = failureKindName(kind);
  if (http_status != 0) details["http_status"] = http_status;
  if (retry_after) details["retry_after_ms"] = retry_after->count();
  return Error{info(kind).code, std::move(message), std::move(details)};
}

FailureInfo classifyFailure(const Error& error) {
  FailureInfo out;
  if (const auto* d = error.details.if_object()) {
    if (const auto* k = d->if_contains("kind"); k && k->is_string()) {
      for (const auto& entry : kKinds) {
        if (entry.name == k->as_string()) {
          out.kind = entry.kind;
          out.retryable = entry.retryable;
        }
      }
      if (const auto* s = d->if_contains("http_status"); s && s->is_int64())
        out.http_status = static_cast<int>(s->as_int64());
      if (const auto* r = d->if_contains("retry_after_ms"); r && r->is_int64())
        out.retry_after = milliseconds(r->as_int64());
      return out;
    }
  }
  switch (error.code) {
    case ErrorCode::kDeadlineExceeded: out.kind = FailureKind::kTimeout; break;
    case ErrorCode::kUnavailable: out.kind = FailureKind::kNetwork; break;
    case ErrorCode::kCancelled: out.kind = FailureKind::kCancelled; break;
    case ErrorCode::kResourceExhausted: out.kind = FailureKind::kRateLimited; break;
    default: out.kind = FailureKind::kOther; break;
  }
  out.retryable = info(out.kind).retryable;
  return out;
}

bool mentionsContextLength(std::string_view text) {
  auto t = lower(text);
  for (std::string_view needle :
       {"context_length_exceeded", "maximum context length", "context length", "prompt is too long", "context window",
        "too many tokens", "exceeds the maximum number of tokens", "input is too long"}) {
    if (t.find(needle) != std::string::npos) return true;
  }
  return false;
}

Error httpFailure(std::string_view provider, int status, const http::Headers& headers, std::string_view body,
                  core::Millis now) {
  std::optional<milliseconds> retry_after;
  if (auto ms = http::findHeader(headers, "retry-after-ms")) {
    double v = 0;
    auto [p, ec] = std::from_chars(ms->data(), ms->data() + ms->size(), v);
    if (ec == std::errc() && v >= 0) retry_after = milliseconds(static_cast<std::int64_t>(v));
  }
  if (!retry_after) {
    if (auto h = http::findHeader(headers, "retry-after")) retry_after = core::parseRetryAfter(*h, now);
  }
  FailureKind kind = FailureKind::kBadRequest;
  if (status == 429) {
    kind = FailureKind::kRateLimited;
  } else if (status == 408) {
    kind = FailureKind::kTimeout;
  } else if (status >= 500) {
    kind = FailureKind::kServer;
  } else if (status == 401 || status == 403) {
    kind = FailureKind::kAuth;
  } else if ((status == 400 || status == 413 || status == 422) && mentionsContextLength(body)) {
    kind = FailureKind::kContextLength;
  }
  std::string message = std::string(provider) + " answered HTTP " + std::to_string(status) + ": " + bodyMessage(body);
  return providerError(kind, std::move(message), status, retry_after);
}

namespace {

// "ThrottlingException:http://internal.amazon.com/..." or
// "com.amazon.coral.service#ExpiredTokenException" -> "throttlingexception".
std::string bedrockErrorName(std::string_view raw) {
  if (auto hash = raw.rfind('#'); hash != std::string_view::npos) raw.remove_prefix(hash + 1);
  if (auto colon = raw.find(':'); colon != std::string_view::npos) raw = raw.substr(0, colon);
  return lower(raw);
}

Error bedrockError(std::string_view provider, std::string_view type_raw, std::string_view message, int status,
                   std::optional<milliseconds> retry_after, const BedrockCallContext& c) {
  std::string type = bedrockErrorName(type_raw);
  std::string shown = type_raw.empty() ? "HTTP " + std::to_string(status)
                                       : std::string(type_raw.substr(0, type_raw.find(':')));
  std::string model = c.model.empty() ? "the model" : "model " + c.model;
  std::string region = c.region.empty() ? "the configured region" : "region " + c.region;
  std::string said = " (" + shown + ": " + std::string(message) + ")";
  std::string who = std::string(provider);
  auto lowered = lower(message);
  if (type == "throttlingexception" || type == "servicequotaexceededexception" || type == "modelnotreadyexception" ||
      type == "toomanyrequestsexception" || status == 429)
    return providerError(FailureKind::kRateLimited,
                         who + ": Bedrock throttled the call to " + model + said +
                             "; it is retried with backoff, and a lasting limit needs a quota increase in " + region,
                         status ? status : 429, retry_after);
  if (type == "accessdeniedexception") {
    std::string action = c.stream ? "bedrock:InvokeModelWithResponseStream" : "bedrock:InvokeModel";
    return providerError(FailureKind::kAuth,
                         who + ": AWS denied " + action + " on " + model + " in " + region + said + "; allow " +
                             action +
                             " for this model in the IAM policy of these credentials and "
                             "enable access to the model in the Bedrock console",
                         status);
  }
  if (type == "expiredtokenexception" ||
      lowered.find("security token included in the request is expired") != std::string::npos)
    return providerError(FailureKind::kAuth,
                         who + ": the AWS credentials have expired" + said +
                             "; refresh AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN",
                         status);
  if (type == "unrecognizedclientexception")
    return providerError(FailureKind::kAuth,
                         who + ": the AWS credentials are not valid" + said + "; check AWS_ACCESS_KEY_ID", status);
  if (type == "invalidsignatureexception" || type == "signaturedoesnotmatch") {
    if (lowered.find("signature expired") != std::string::npos ||
        lowered.find("signature not yet current") != std::string::npos)
      return providerError(FailureKind::kAuth,
                           who + ": AWS refused the request's time" + said +
                               "; this host's clock is off: synchronise it (AWS allows 5 minutes)",
                           status);
    if (lowered.find("region") != std::string::npos)
      return providerError(FailureKind::kAuth,
                           who + ": the request was signed for another region: " + region + " is not the endpoint's" +
                               said + "; set AWS_REGION to the endpoint's region",
                           status);
    return providerError(FailureKind::kAuth,
                         who + ": the AWS signature does not match" + said + "; check AWS_SECRET_ACCESS_KEY", status);
  }
  if (type == "resourcenotfoundexception" ||
      (type == "validationexception" &&
       (lowered.find("model identifier") != std::string::npos || lowered.find("model id") != std::string::npos ||
        lowered.find("on-demand throughput") != std::string::npos ||
        lowered.find("inference profile") != std::string::npos)))
    return providerError(FailureKind::kBadRequest,
                         who + ": " + model + " is not available in " + region + said +
                             "; check the model id, enable the model in that region, or use a cross-region "
                             "inference profile id (us.<model>, eu.<model>)",
                         status);
  if (type == "validationexception" && mentionsContextLength(message))
    return providerError(FailureKind::kContextLength, who + ": the prompt does not fit " + model + said, status);
  if (type == "internalserverexception" || type == "serviceunavailableexception" || type == "modelerrorexception" ||
      type == "modeltimeoutexception" || type == "modelstreamerrorexception" || status >= 500)
    return providerError(FailureKind::kServer, who + ": Bedrock failed serving " + model + said, status, retry_after);
  if (mentionsContextLength(message))
    return providerError(FailureKind::kContextLength, who + ": the prompt does not fit " + model + said, status);
  if (status == 401 || status == 403)
    return providerError(FailureKind::kAuth, who + ": AWS refused the call to " + model + said, status);
  return providerError(FailureKind::kBadRequest, who + ": Bedrock rejected the call to " + model + said, status);
}

}  // namespace

Error bedrockFailure(std::string_view provider, int status, const http::Headers& headers, std::string_view body,
                     core::Millis now, const BedrockCallContext& context) {
  std::optional<milliseconds> retry_after;
  if (auto h = http::findHeader(headers, "retry-after")) retry_after = core::parseRetryAfter(*h, now);
  std::string type = http::findHeader(headers, "x-amzn-ErrorType").value_or("");
  std::string message;
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (!ec && v.is_object()) {
    const auto& o = v.as_object();
    for (const char* key : {"message", "Message"}) {
      if (const auto* m = o.if_contains(key); m && m->is_string() && message.empty()) message = m->as_string();
    }
    if (const auto* t = o.if_contains("__type"); t && t->is_string() && type.empty()) type = t->as_string();
  } else {
    message = std::string(body.substr(0, 300));
  }
  return bedrockError(provider, type, message, status, retry_after, context);
}

Error bedrockStreamException(std::string_view exception_type, std::string_view message,
                             const BedrockCallContext& context) {
  return bedrockError("bedrock stream", exception_type, message, 0, std::nullopt, context);
}

Error transportFailure(std::string_view provider, const Error& error) {
  FailureKind kind = FailureKind::kNetwork;
  if (error.code == ErrorCode::kDeadlineExceeded) kind = FailureKind::kTimeout;
  if (error.code == ErrorCode::kCancelled) kind = FailureKind::kCancelled;
  if (error.code == ErrorCode::kInvalidArgument) kind = FailureKind::kBadRequest;
  return providerError(kind, std::string(provider) + ": " + error.message);
}

}  // namespace codecrew::llm
