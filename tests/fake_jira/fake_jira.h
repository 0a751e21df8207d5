// FakeJira: a fake Jira Cloud REST API on 127.0.0.1 (port 0) for tests, on
// codecrew's own HTTP server. It answers GET /rest/api/{2,3,latest}/issue/{key}
// like Jira does:
//  - basic auth is checked against the email and API token it was made with
//    (else 401 with Jira's errorMessages);
//  - an issue is served as scripted (addIssue), with only the fields asked
//    for by ?fields=a,b (all without), and the scripted field names under
//    "names" with ?expand=names;
//  - a moved issue (moveIssue) answers, under its old key, the issue of its
//    new key, as Jira does after a move;
//  - an unknown key gets 404 "Issue does not exist or you do not have
//    permission to see it.";
//  - scripted faults (enqueueFault) are served first, in order: any status,
//    with Retry-After when given; a 429 also carries Jira's X-RateLimit-Limit,
//    X-RateLimit-Remaining: 0, RateLimit-Reason and (with Retry-After) an
//    X-RateLimit-Reset in Jira's ISO 8601 form.
// Every request is recorded. Thread-safety: every method may be called from
// any thread.
#pragma once

#include "core/result.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <string>
#include <vector>

namespace codecrew::testing {

inline constexpr const char* kFakeJiraEmail = "bot@example.com";
inline constexpr const char* kFakeJiraToken = "fake-jira-token";

struct FakeJiraFault {
  int status = 500;
  std::string retry_after;  // the Retry-After header's value, when not empty
  std::string body;         // default: {"errorMessages": ["fake fault <status>"]}
};

struct FakeJiraRequest {
  std::string target;         // path and query as received
  std::string api_version;    // "2", "3", "latest"
  std::string key;            // as asked
  std::string authorization;  // the header's value
  int status = 0;             // what it answered
};

class FakeJira {
 public:
  explicit FakeJira(std::string email = kFakeJiraEmail, std::string api_token = kFakeJiraToken);
  ~FakeJira();
  FakeJira(const FakeJira&) = delete;
  FakeJira& operator=(const FakeJira&) = delete;

  // Binds 127.0.0.1 on a free port and serves. kUnavailable if it cannot.
  core::Status start();
  void stop();  // idempotent
  // "http://127.0.0.1:<port>".
  std::string baseUrl() const;

  // Serves `issue` (an object with "key" and "fields") under its key.
  void addIssue(boost::json::value issue);
  // Asked for old_key, answers the issue whose key is new_key.
  void moveIssue(std::string old_key, std::string new_key);
  // The field names served with ?expand=names ({"customfield_10010": "Acceptance Criteria"}).
  void setFieldNames(boost::json::object names);
  void enqueueFault(FakeJiraFault fault);
  std::vector<FakeJiraRequest> requests() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// An issue as Jira REST v3 shows it: {"id", "key", "self", "fields": {summary, description, ...extra}}.
boost::json::value makeIssue(const std::string& key, const std::string& summary, boost::json::value description,
                             boost::json::object extra_fields = {});

// An ADF document of one paragraph per line of text.
boost::json::value adfParagraphs(const std::vector<std::string>& lines);

}  // namespace codecrew::testing
