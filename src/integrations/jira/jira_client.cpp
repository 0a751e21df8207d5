#include "integrations/jira/jira_client.h"

#include "integrations/jira/adf_markdown.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace codecrew::integrations::jira {
namespace {

namespace bj = boost::json;

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < in.size()) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// An issue key (PROJ-12, letters, digits and '_' before the dash) or an
// issue's numeric id: nothing else reaches the URL.
bool isIssueKey(std::string_view key) {
  if (key.empty() || key.size() > 255) return false;
  if (std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; })) return true;
  const auto dash = key.rfind('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == key.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(key[0]))) return false;
  for (std::size_t i = 0; i < dash; ++i)
    if (!std::isalnum(static_cast<unsigned char>(key[i])) && key[i] != '_') return false;
  for (std::size_t i = dash + 1; i < key.size(); ++i)
    if (key[i] < '0' || key[i] > '9') return false;
  return true;
}

bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The first of Jira's errorMessages (or errors' values), for a message.
std::string jiraSays(const bj::value& body) {
  if (!body.is_object()) return "";
  if (const auto* list = body.as_object().if_contains("errorMessages"); list && list->is_array())
    for (const auto& m : list->as_array())
      if (m.is_string() && !m.as_string().empty()) return std::string(m.as_string());
  if (const auto* errors = body.as_object().if_contains("errors"); errors && errors->is_object())
    for (const auto& [field, m] : errors->as_object())
      if (m.is_string()) return std::string(field) + ": " + std::string(m.as_string());
  return "";
}

std::string withReason(std::string message, const bj::value& body) {
  auto says = jiraSays(body);
  return says.empty() ? message : message + " (Jira: " + says + ")";
}

// The value of the acceptance criteria's field in `fields`, or null.
const bj::value* criteriaValue(const JiraConfig& config, const bj::object& fields, const bj::value& issue) {
  if (config.criteria_field.empty()) return nullptr;
  if (config.criteriaIsFieldId()) return fields.if_contains(config.criteria_field);
  if (const auto* names = issue.as_object().if_contains("names"); names && names->is_object()) {
    for (const auto& [id, name] : names->as_object())
      if (name.is_string() && sameName(name.as_string(), config.criteria_field)) return fields.if_contains(id);
  }
  return fields.if_contains(config.criteria_field);  // a system field's id (environment)
}

// Jira's body, allowing the depth of rich text (nested lists in tables in
// panels) past Boost.JSON's default of 32; null when it is not JSON.
bj::value parseIssue(const std::string& body) {
  bj::parse_options options;
  options.max_depth = 1000;
  boost::system::error_code ec;
  auto v = bj::parse(body, ec, {}, options);
  return ec ? bj::value() : v;
}

}  // namespace

std::string issueUrl(const JiraConfig& config, const std::string& key) {
  std::string url = config.base_url + "/rest/api/" + config.api_version + "/issue/" + key;
  if (config.criteria_field.empty()) return url + "?fields=summary,description";
  if (config.criteriaIsFieldId()) return url + "?fields=summary,description," + config.criteria_field;
  return url + "?expand=names";
}

core::Result<JiraStory> storyFromIssue(const JiraConfig& config, const bj::value& issue) {
  const bj::object* obj = issue.is_object() ? &issue.as_object() : nullptr;
  const bj::value* key = obj ? obj->if_contains("key") : nullptr;
  const bj::value* fields = obj ? obj->if_contains("fields") : nullptr;
  if (!key || !key->is_string() || key->as_string().empty() || !fields || !fields->is_object())
    return core::Error::unavailable("Jira's answer is not an issue (no key or fields): check jira.base_url");
  JiraStory story;
  story.key = std::string(key->as_string());
  const auto& f = fields->as_object();
  if (const auto* summary = f.if_contains("summary"); summary && summary->is_string())
    story.summary = std::string(summary->as_string());
  if (const auto* description = f.if_contains("description")) story.description_markdown = adfToMarkdown(*description);
  if (const auto* criteria = criteriaValue(config, f, issue)) story.criteria_markdown = adfToMarkdown(*criteria);
  return story;
}

JiraClient::JiraClient(JiraConfig config, std::shared_ptr<http::HttpClient> http, std::shared_ptr<llm::Sleeper> sleeper,
                       std::shared_ptr<core::Clock> clock)
    : config_(std::move(config)) {
  RestClientOptions options;
  options.name = "jira";
  if (config_.configured()) options.authorization = "Basic " + base64(config_.email + ":" + config_.api_token);
  options.default_headers = {{"Accept", "application/json"}};
  options.timeouts.total = std::chrono::seconds(config_.timeout_seconds);
  options.timeouts.first_byte = std::min<std::chrono::milliseconds>(options.timeouts.first_byte,
                                                                    options.timeouts.total);
  options.timeouts.idle = std::min<std::chrono::milliseconds>(options.timeouts.idle, options.timeouts.total);
  rest_ = std::make_unique<RestClient>(std::move(http), std::move(sleeper), std::move(clock), std::move(options));
}

boost::asio::awaitable<core::Result<JiraStory>> JiraClient::fetchStory(std::string key) {
  if (!isIssueKey(key))
    co_return core::Error::invalidArgument("'" + key + "' is not a Jira issue key (such as PROJ-123) nor an issue id");
  if (!config_.configured()) {
    std::string what;
    for (const auto& m : config_.missing()) what += (what.empty() ? "" : ", ") + m;
    co_return core::Error{core::ErrorCode::kFailedPrecondition,
                          "Jira is not configured: set " + what + " ([jira] in codecrew.toml or the environment)",
                          nullptr};
  }
  RestRequest request;
  request.url = issueUrl(config_, key);
  auto answer = co_await rest_->call(std::move(request));
  const std::string story = "Jira story " + key;
  if (!answer) {
    const auto& e = answer.error();
    if (e.code == core::ErrorCode::kResourceExhausted)
      co_return core::Error{e.code, "Jira's rate limit stopped the fetch of " + key + ": " + e.message, e.details};
    co_return core::Error::unavailable("could not reach Jira at " + config_.base_url + " for " + key + ": " +
                                       e.message);
  }
  const auto& r = *answer;
  switch (r.status) {
    case 200: break;
    case 404:
      co_return core::Error::notFound(withReason(story + " does not exist, or jira.email may not see it", r.json));
    case 401:
      co_return core::Error::unauthenticated(
          withReason("Jira refused the credentials (401): check jira.email and jira.api_token", r.json));
    case 403:
      co_return core::Error::permissionDenied(
          withReason("Jira refused " + key + " to jira.email (403): check the account's permissions", r.json));
    case 429:
      co_return core::Error{core::ErrorCode::kResourceExhausted,
                            "Jira's rate limit was still reached after " + std::to_string(r.attempts) + " tries",
                            nullptr};
    default:
      co_return core::Error::unavailable(withReason("Jira answered " + std::to_string(r.status) + " for " + key +
                                                        " after " + std::to_string(r.attempts) + " tries",
                                                    r.json));
  }
  co_return storyFromIssue(config_, parseIssue(r.body));
}

}  // namespace codecrew::integrations::jira
