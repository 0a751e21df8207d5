#include "fake_jira.h"

#include "http/router.h"
#include "http/server.h"

#include <boost/beast/core/detail/base64.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

namespace codecrew::testing {
namespace {

namespace bj = boost::json;

std::string basicAuth(const std::string& email, const std::string& token) {
  const std::string plain = email + ":" + token;
  std::string out(boost::beast::detail::base64::encoded_size(plain.size()), '\0');
  out.resize(boost::beast::detail::base64::encode(out.data(), plain.data(), plain.size()));
  return "Basic " + out;
}

http::Response jiraError(int status, const std::string& message) {
  return http::Response::json(status,
                              bj::object{{"errorMessages", bj::array{bj::value(message)}}, {"errors", bj::object{}}});
}

// What Jira Cloud sends with a 429 besides Retry-After: X-RateLimit-Reset
// is an ISO 8601 minute ("2026-01-01T10:31Z"), not epoch seconds as GitHub's.
void addRateLimitHeaders(http::Response& r, const std::string& retry_after) {
  r.headers.emplace_back("X-RateLimit-Limit", "100");
  r.headers.emplace_back("X-RateLimit-Remaining", "0");
  r.headers.emplace_back("RateLimit-Reason", "jira-burst-based");
  if (retry_after.empty()) return;
  const auto reset = std::chrono::system_clock::now() + std::chrono::seconds(std::atoi(retry_after.c_str()) + 60);
  const std::time_t t = std::chrono::system_clock::to_time_t(reset);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%MZ", &utc);
  r.headers.emplace_back("X-RateLimit-Reset", text);
}

std::set<std::string> splitFields(const std::string& list) {
  std::set<std::string> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.insert(item);
  return out;
}

}  // namespace

class FakeJira::Impl {
 public:
  Impl(std::string email, std::string token) : authorization_(basicAuth(email, token)) {}

  core::Status start() {
    auto router = std::make_shared<http::Router>();
    router->add("GET", "/rest/api/{version}/issue/{key}", [this](http::Request& req) { return answer(req); });
    http::ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.io_threads = 1;
    options.blocking_threads = 2;
    options.shutdown_grace = std::chrono::seconds(1);
    server_ = std::make_unique<http::Server>(options, router);
    return server_->start();
  }

  void stop() {
    if (server_) server_->stop();
  }

  int port() const { return server_ ? server_->port() : 0; }

  void addIssue(bj::value issue) {
    std::lock_guard lock(mu_);
    issues_[std::string(issue.at("key").as_string())] = std::move(issue);
  }
  void moveIssue(std::string from, std::string to) {
    std::lock_guard lock(mu_);
    moved_[std::move(from)] = std::move(to);
  }
  void setFieldNames(bj::object names) {
    std::lock_guard lock(mu_);
    names_ = std::move(names);
  }
  void enqueueFault(FakeJiraFault fault) {
    std::lock_guard lock(mu_);
    faults_.push_back(std::move(fault));
  }
  std::vector<FakeJiraRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  http::Response answer(http::Request& req) {
    std::lock_guard lock(mu_);
    FakeJiraRequest seen{req.target, req.param("version"), req.param("key"), req.header("Authorization").value_or(""),
                         0};
    http::Response r = respond(req, seen);
    seen.status = r.status;
    requests_.push_back(std::move(seen));
    return r;
  }

  // Holds mu_.
  http::Response respond(const http::Request& req, const FakeJiraRequest& seen) {
    if (!faults_.empty()) {
      auto fault = std::move(faults_.front());
      faults_.pop_front();
      http::Response r = fault.body.empty() ? jiraError(fault.status, "fake fault " + std::to_string(fault.status))
                                            : http::Response::text(fault.status, fault.body, "application/json");
      if (!fault.retry_after.empty()) r.headers.emplace_back("Retry-After", fault.retry_after);
      if (fault.status == 429) addRateLimitHeaders(r, fault.retry_after);
      return r;
    }
    if (seen.authorization != authorization_)
      return jiraError(401, "Client must be authenticated to access this resource.");
    std::string key = seen.key;
    if (auto it = moved_.find(key); it != moved_.end()) key = it->second;
    auto it = issues_.find(key);
    if (it == issues_.end()) return jiraError(404, "Issue does not exist or you do not have permission to see it.");
    bj::object issue = it->second.as_object();
    if (auto fields = req.queryParam("fields")) {
      auto wanted = splitFields(*fields);
      bj::object kept;
      for (const auto& [name, value] : issue["fields"].as_object())
        if (wanted.count(std::string(name))) kept[name] = value;
      issue["fields"] = std::move(kept);
    }
    if (auto expand = req.queryParam("expand"); expand && splitFields(*expand).count("names")) issue["names"] = names_;
    return http::Response::json(200, issue);
  }

  const std::string authorization_;
  std::unique_ptr<http::Server> server_;
  mutable std::mutex mu_;
  std::map<std::string, bj::value> issues_;   // guarded by mu_
  std::map<std::string, std::string> moved_;  // guarded by mu_
  bj::object names_;                          // guarded by mu_
  std::deque<FakeJiraFault> faults_;          // guarded by mu_
  std::vector<FakeJiraRequest> requests_;     // guarded by mu_
};

FakeJira::FakeJira(std::string email, std::string api_token)
    : impl_(std::make_unique<Impl>(std::move(email), std::move(api_token))) {}

FakeJira::~FakeJira() { stop(); }

core::Status FakeJira::start() { return impl_->start(); }
void FakeJira::stop() { impl_->stop(); }
std::string FakeJira::baseUrl() const { return "http://127.0.0.1:" + std::to_string(impl_->port()); }
void FakeJira::addIssue(bj::value issue) { impl_->addIssue(std::move(issue)); }
void FakeJira::moveIssue(std::string old_key, std::string new_key) {
  impl_->moveIssue(std::move(old_key), std::move(new_key));
}
void FakeJira::setFieldNames(bj::object names) { impl_->setFieldNames(std::move(names)); }
void FakeJira::enqueueFault(FakeJiraFault fault) { impl_->enqueueFault(std::move(fault)); }
std::vector<FakeJiraRequest> FakeJira::requests() const { return impl_->requests(); }

bj::value makeIssue(const std::string& key, const std::string& summary, bj::value description,
                    bj::object extra_fields) {
  bj::object fields{{"summary", summary}, {"description", std::move(description)}};
  for (auto& [name, value] : extra_fields) fields[name] = std::move(value);
  return bj::object{{"id", "10" + std::to_string(std::hash<std::string>{}(key) % 1000)},
                    {"key", key},
                    {"self", "https://jira.invalid/rest/api/3/issue/" + key},
                    {"fields", std::move(fields)}};
}

bj::value adfParagraphs(const std::vector<std::string>& lines) {
  bj::array content;
  for (const auto& line : lines)
    content.push_back(
        bj::object{{"type", "paragraph"}, {"content", bj::array{bj::object{{"type", "text"}, {"text", line}}}}});
  return bj::object{{"type", "doc"}, {"version", 1}, {"content", std::move(content)}};
}

}  // namespace codecrew::testing
