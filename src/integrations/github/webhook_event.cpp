#include "integrations/github/webhook_event.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>
#include <initializer_list>

namespace codecrew::integrations::github {
namespace webhook_event_detail {
namespace {

namespace json = boost::json;

// The value at a dotted path of objects ("pull_request.head.ref"), or null.
const json::value* at(const json::value& root, std::string_view path) {
  const json::value* v = &root;
  while (!path.empty()) {
    auto dot = path.find('.');
    auto key = path.substr(0, dot);
    if (!v->is_object()) return nullptr;
    v = v->as_object().if_contains(key);
    if (!v) return nullptr;
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return v;
}

std::string text(const json::value& root, std::string_view path) {
  const auto* v = at(root, path);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::int64_t integer(const json::value& root, std::string_view path) {
  const auto* v = at(root, path);
  if (!v) return 0;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  return 0;
}

bool flag(const json::value& root, std::string_view path) {
  const auto* v = at(root, path);
  return v && v->is_bool() && v->as_bool();
}

bool isObject(const json::value& root, std::string_view path) {
  const auto* v = at(root, path);
  return v && v->is_object();
}

bool oneOf(const std::string& s, std::initializer_list<std::string_view> values) {
  return std::find(values.begin(), values.end(), s) != values.end();
}

// The numbers of a pull_requests array (absent or empty: none).
std::vector<std::int64_t> pullNumbers(const json::value& root, std::string_view path) {
  std::vector<std::int64_t> out;
  const auto* v = at(root, path);
  if (!v || !v->is_array()) return out;
  for (const auto& pr : v->as_array())
    if (auto n = integer(pr, "number"); n > 0) out.push_back(n);
  return out;
}

std::string joined(std::string a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + "\n\n" + b;
}

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

core::Error missing(std::string_view event, std::string_view object) {
  return core::Error::invalidArgument("the " + std::string(event) + " payload has no " + std::string(object) +
                                      " object");
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding ('+' is a space).
std::string formDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%' && i + 2 < in.size() && hexValue(in[i + 1]) >= 0 && hexValue(in[i + 2]) >= 0) {
      out += char(hexValue(in[i + 1]) * 16 + hexValue(in[i + 2]));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

// The pull request's head branch and commit, number, state.
void readPullRequest(const json::value& pr, HostEvent& e) {
  e.head_branch = text(pr, "head.ref");
  e.head_sha = text(pr, "head.sha");
  if (auto n = integer(pr, "number"); n > 0) e.pull_numbers = {n};
  e.pr_state = text(pr, "state");
  e.merged = flag(pr, "merged") || !text(pr, "merged_at").empty();
}

void readComment(const json::value& comment, HostEvent& e) {
  e.body = text(comment, "body");
  e.author = text(comment, "user.login");
  e.author_association = text(comment, "author_association");
  e.comment_id = integer(comment, "id");
}

core::Status readPullRequestEvent(const json::value& p, HostEvent& e) {
  if (!isObject(p, "pull_request")) return missing(e.event, "pull_request");
  if (!oneOf(e.action,
             {"opened", "reopened", "closed", "synchronize", "edited", "ready_for_review", "converted_to_draft"}))
    return core::okStatus();
  e.kind = HostEventKind::kPullRequest;
  readPullRequest(*at(p, "pull_request"), e);
  if (e.pull_numbers.empty() && integer(p, "number") > 0) e.pull_numbers = {integer(p, "number")};
  e.author = text(p, "sender.login");
  return core::okStatus();
}

core::Status readCheckRunEvent(const json::value& p, HostEvent& e) {
  if (!isObject(p, "check_run")) return missing(e.event, "check_run");
  if (!oneOf(e.action, {"created", "completed"})) return core::okStatus();
  const auto& run = *at(p, "check_run");
  e.kind = HostEventKind::kCheckRun;
  e.head_branch = text(run, "check_suite.head_branch");
  e.head_sha = text(run, "head_sha");
  e.pull_numbers = pullNumbers(run, "pull_requests");
  e.check_run_id = integer(run, "id");
  e.check_name = text(run, "name");
  e.check_status = text(run, "status");
  e.check_conclusion = text(run, "conclusion");
  e.check_url = text(run, "html_url");
  if (e.check_url.empty()) e.check_url = text(run, "details_url");
  e.check_summary = joined(text(run, "output.title"), text(run, "output.summary"));
  e.check_text = text(run, "output.text");
  e.author = text(p, "sender.login");
  return core::okStatus();
}

core::Status readCheckSuiteEvent(const json::value& p, HostEvent& e) {
  if (!isObject(p, "check_suite")) return missing(e.event, "check_suite");
  if (e.action != "completed") return core::okStatus();
  const auto& suite = *at(p, "check_suite");
  e.kind = HostEventKind::kCheckSuite;
  e.head_branch = text(suite, "head_branch");
  e.head_sha = text(suite, "head_sha");
  e.pull_numbers = pullNumbers(suite, "pull_requests");
  e.check_run_id = integer(suite, "id");
  e.check_name = text(suite, "app.name");
  e.check_status = text(suite, "status");
  e.check_conclusion = text(suite, "conclusion");
  e.author = text(p, "sender.login");
  return core::okStatus();
}

core::Status readReviewEvent(const json::value& p, HostEvent& e) {
  if (!isObject(p, "review")) return missing(e.event, "review");
  if (!isObject(p, "pull_request")) return missing(e.event, "pull_request");
  if (e.action != "submitted") return core::okStatus();
  e.kind = HostEventKind::kReview;
  readPullRequest(*at(p, "pull_request"), e);
  const auto& review = *at(p, "review");
  e.review_state = lower(text(review, "state"));
  readComment(review, e);
  return core::okStatus();
}

core::Status readReviewCommentEvent(const json::value& p, HostEvent& e) {
  if (!isObject(p, "comment")) return missing(e.event, "comment");
  if (!isObject(p, "pull_request")) return missing(e.event, "pull_request");
  if (e.action != "created") return core::okStatus();
  e.kind = HostEventKind::kReviewComment;
  readPullRequest(*at(p, "pull_request"), e);
  const auto& comment = *at(p, "comment");
  readComment(comment, e);
  e.comment_path = text(comment, "path");
  e.comment_line = integer(comment, "line");
  return core::okStatus();
}

core::Status readIssueCommentEvent(const json::value& p, HostEvent& e) {
  if (!isObject(p, "comment")) return missing(e.event, "comment");
  if (!isObject(p, "issue")) return missing(e.event, "issue");
  // An issue's comment, not a pull request's: nothing to do.
  if (e.action != "created" || !isObject(p, "issue.pull_request")) return core::okStatus();
  e.kind = HostEventKind::kIssueComment;
  if (auto n = integer(p, "issue.number"); n > 0) e.pull_numbers = {n};
  e.pr_state = text(p, "issue.state");
  readComment(*at(p, "comment"), e);
  return core::okStatus();
}

}  // namespace
}  // namespace webhook_event_detail

core::Result<std::string> webhookPayloadText(std::string_view content_type, std::string body) {
  using webhook_event_detail::formDecode;
  std::string type(content_type.substr(0, content_type.find(';')));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& c : type) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (type != "application/x-www-form-urlencoded") return body;
  std::string_view rest(body);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    auto field = rest.substr(0, amp);
    auto eq = field.find('=');
    if (formDecode(field.substr(0, eq)) == "payload")
      return eq == std::string_view::npos ? std::string() : formDecode(field.substr(eq + 1));
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
  }
  return core::Error::invalidArgument("a form-encoded webhook body must carry the payload field");
}

core::Result<HostEvent> parseWebhook(std::string_view event_name, std::string_view delivery_id,
                                     std::string_view payload) {
  namespace d = webhook_event_detail;
  boost::system::error_code ec;
  auto root = boost::json::parse(payload, ec);
  if (ec) return core::Error::invalidArgument("the webhook payload is not JSON: " + ec.message());
  if (!root.is_object()) return core::Error::invalidArgument("the webhook payload is not a JSON object");
  HostEvent e;
  e.delivery_id = std::string(delivery_id);
  e.event = std::string(event_name);
  e.action = d::text(root, "action");
  e.repository = d::text(root, "repository.full_name");
  core::Status read;
  if (e.event == "ping") {
    e.kind = HostEventKind::kPing;
    e.body = d::text(root, "zen");
  } else if (e.event == "pull_request") {
    read = d::readPullRequestEvent(root, e);
  } else if (e.event == "check_run") {
    read = d::readCheckRunEvent(root, e);
  } else if (e.event == "check_suite") {
    read = d::readCheckSuiteEvent(root, e);
  } else if (e.event == "pull_request_review") {
    read = d::readReviewEvent(root, e);
  } else if (e.event == "pull_request_review_comment") {
    read = d::readReviewCommentEvent(root, e);
  } else if (e.event == "issue_comment") {
    read = d::readIssueCommentEvent(root, e);
  }
  if (!read) return std::move(read).error();
  return e;
}

std::string_view hostEventKindName(HostEventKind kind) {
  switch (kind) {
    case HostEventKind::kPing: return "ping";
    case HostEventKind::kPullRequest: return "pull_request";
    case HostEventKind::kCheckRun: return "check_run";
    case HostEventKind::kCheckSuite: return "check_suite";
    case HostEventKind::kReview: return "pull_request_review";
    case HostEventKind::kReviewComment: return "pull_request_review_comment";
    case HostEventKind::kIssueComment: return "issue_comment";
    case HostEventKind::kIgnored: return "ignored";
  }
  return "ignored";
}

}  // namespace codecrew::integrations::github
