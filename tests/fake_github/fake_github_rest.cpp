// The fake GitHub's REST routes (fake_github.h lists them): repositories,
// pull requests, their files and comments, check runs and commit statuses.
#include "core/time_format.h"
#include "fake_git.h"
#include "fake_github_impl.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>

namespace codecrew::testing {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;
using Repo = FakeGitHub::Impl::Repo;

std::string nowIso() {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  auto text = core::formatIso8601(ms);
  // GitHub's timestamps have no fraction: "2026-01-06T10:03:00Z".
  auto dot = text.find('.');
  return dot == std::string::npos ? text : text.substr(0, dot) + "Z";
}

Response ok(int status, const json::value& body) {
  auto r = Response::json(status, body);
  r.content_type = "application/json; charset=utf-8";
  return r;
}

json::object user(const std::string& login) {
  return {{"login", login}, {"id", 1000 + std::int64_t(login.size())}, {"type", "User"}, {"site_admin", false}};
}

Response validationFailed(json::object error) {
  error.emplace("resource", "PullRequest");
  return gitHubError(422, "Validation Failed", json::array{std::move(error)});
}

// A JSON object body, or nullopt (the caller answers 400 as GitHub does).
std::optional<json::object> objectBody(const Request& req) {
  boost::system::error_code ec;
  auto v = json::parse(req.body.empty() ? "{}" : req.body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return v.as_object();
}

std::string field(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

bool isSha(const std::string& s) {
  return s.size() == 40 && std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit((unsigned char)c); });
}

// The query parameter's value ("" when absent).
std::string queryValue(const Request& req, const char* name) { return req.queryParam(name).value_or(""); }

}  // namespace

json::object FakeGitHub::Impl::pullJson(const Repo& repo, const FakePull& pull) const {
  const std::string full = repoKey(repo.owner, repo.name);
  const std::string bare = barePath(repo.owner, repo.name);
  auto head_sha = fake_git::branchSha(bare, pull.head).value_or("");
  auto base_sha = fake_git::branchSha(bare, pull.base).value_or("");
  json::object repo_json{{"id", repo.id}, {"name", repo.name}, {"full_name", full}};
  return {{"id", 1800000000 + pull.number},
          {"number", pull.number},
          {"url", apiUrl() + "/repos/" + full + "/pulls/" + std::to_string(pull.number)},
          {"html_url", pull.html_url},
          {"state", pull.state},
          {"draft", pull.draft},
          {"merged", pull.merged},
          {"title", pull.title},
          {"body", pull.body},
          {"user", user(options.login)},
          {"head",
           {{"label", repo.owner + ":" + pull.head}, {"ref", pull.head}, {"sha", head_sha}, {"repo", repo_json}}},
          {"base",
           {{"label", repo.owner + ":" + pull.base}, {"ref", pull.base}, {"sha", base_sha}, {"repo", repo_json}}}};
}

void FakeGitHub::Impl::addRestRoutes(http::Router& router) {
  // Every REST call: recorded, a scripted fault first, then the token, then
  // the handler; the rate-limit and scope headers on every answer.
  auto add = [this, &router](const char* method, const std::string& pattern,
                             std::function<Response(Request&, Repo)> handler) {
    http::RouteOptions raw;
    raw.json_body = false;
    router.add(
        method, "/api/v3" + pattern,
        [this, handler = std::move(handler)](Request& req) {
          record("rest", req);
          auto headers = restHeaders();
          auto finish = [&headers](Response r) {
            for (auto& h : headers) {
              bool overridden = std::any_of(r.headers.begin(), r.headers.end(), [&](const auto& mine) {
                return std::equal(mine.first.begin(), mine.first.end(), h.first.begin(), h.first.end(),
                                  [](char a, char b) { return std::tolower(a) == std::tolower(b); });
              });
              if (!overridden) r.headers.push_back(std::move(h));
            }
            return r;
          };
          if (auto fault = takeFault()) {
            Response r;
            r.status = fault->status;
            r.content_type = "application/json; charset=utf-8";
            r.headers = std::move(fault->headers);
            r.body = std::move(fault->body);
            return finish(std::move(r));
          }
          auto auth = req.header("Authorization").value_or("");
          if (auth != "Bearer " + options.token && auth != "token " + options.token &&
              auth != "bearer " + options.token)
            return finish(gitHubError(401, "Bad credentials"));
          Repo repo;
          {
            std::lock_guard lock(mu);
            auto it = repos.find(repoKey(req.param("owner"), req.param("repo")));
            if (it == repos.end()) return finish(gitHubError(404, "Not Found"));
            repo = it->second;
          }
          return finish(handler(req, std::move(repo)));
        },
        raw);
  };

  add("GET", "/repos/{owner}/{repo}", [this](Request&, Repo repo) {
    const std::string full = repoKey(repo.owner, repo.name);
    return ok(200, json::object{{"id", repo.id},
                                {"name", repo.name},
                                {"full_name", full},
                                {"owner", user(repo.owner)},
                                {"private", false},
                                {"html_url", baseUrl() + "/" + full},
                                {"url", apiUrl() + "/repos/" + full},
                                {"clone_url", baseUrl() + "/" + full + ".git"},
                                {"default_branch", repo.default_branch}});
  });

  add("GET", "/repos/{owner}/{repo}/pulls", [this](Request& req, Repo repo) {
    std::string state = queryValue(req, "state");
    if (state.empty()) state = "open";
    std::string head = queryValue(req, "head");
    if (auto colon = head.find(':'); colon != std::string::npos) {
      if (head.substr(0, colon) != repo.owner) return ok(200, json::array{});
      head = head.substr(colon + 1);
    }
    const std::string base = queryValue(req, "base");
    json::array out;
    for (auto it = repo.pulls.rbegin(); it != repo.pulls.rend(); ++it) {  // newest first
      if (state != "all" && it->state != state) continue;
      if (!head.empty() && it->head != head) continue;
      if (!base.empty() && it->base != base) continue;
      out.push_back(pullJson(repo, *it));
    }
    return ok(200, out);
  });

  add("POST", "/repos/{owner}/{repo}/pulls", [this](Request& req, Repo repo) {
    {
      std::lock_guard lock(mu);
      ++pull_creates;
    }
    auto body = objectBody(req);
    if (!body) return gitHubError(400, "Problems parsing JSON");
    FakePull pull;
    pull.title = field(*body, "title");
    pull.body = field(*body, "body");
    pull.base = field(*body, "base");
    pull.head = field(*body, "head");
    const auto* draft = body->if_contains("draft");
    pull.draft = draft && draft->is_bool() && draft->as_bool();
    if (pull.title.empty()) return validationFailed({{"field", "title"}, {"code", "missing_field"}});
    const std::string head_label = pull.head.find(':') == std::string::npos ? repo.owner + ":" + pull.head : pull.head;
    if (auto colon = pull.head.find(':'); colon != std::string::npos) {
      if (pull.head.substr(0, colon) != repo.owner) return validationFailed({{"field", "head"}, {"code", "invalid"}});
      pull.head = pull.head.substr(colon + 1);
    }
    const std::string bare = barePath(repo.owner, repo.name);
    auto head_sha = fake_git::branchSha(bare, pull.head);
    if (!head_sha) return validationFailed({{"field", "head"}, {"code", "invalid"}});
    auto base_sha = fake_git::branchSha(bare, pull.base);
    if (!base_sha) return validationFailed({{"field", "base"}, {"code", "invalid"}});
    if (fake_git::isAncestor(bare, *head_sha, *base_sha))
      return validationFailed(
          {{"code", "custom"}, {"message", "No commits between " + pull.base + " and " + pull.head}});
    {
      std::lock_guard lock(mu);
      auto& stored = repos.at(repoKey(repo.owner, repo.name));
      for (const auto& existing : stored.pulls) {
        if (existing.state == "open" && existing.head == pull.head)
          return validationFailed(
              {{"code", "custom"}, {"message", "A pull request already exists for " + head_label + "."}});
      }
      pull.number = stored.next_number++;
      pull.html_url = baseUrl() + "/" + repoKey(repo.owner, repo.name) + "/pull/" + std::to_string(pull.number);
      stored.pulls.push_back(pull);
    }
    return ok(201, pullJson(repo, pull));
  });

  // The pull request {number} of the repository, or a 404 answer.
  auto findPull = [](const Repo& repo, const Request& req) -> const FakePull* {
    auto n = std::stoll(req.param("number"));
    for (const auto& p : repo.pulls)
      if (p.number == n) return &p;
    return nullptr;
  };

  add("GET", "/repos/{owner}/{repo}/pulls/{number:int}", [this, findPull](Request& req, Repo repo) {
    const auto* pull = findPull(repo, req);
    if (!pull) return gitHubError(404, "Not Found");
    return ok(200, pullJson(repo, *pull));
  });

  add("PATCH", "/repos/{owner}/{repo}/pulls/{number:int}", [this, findPull](Request& req, Repo repo) {
    if (!findPull(repo, req)) return gitHubError(404, "Not Found");
    auto body = objectBody(req);
    if (!body) return gitHubError(400, "Problems parsing JSON");
    std::string state = field(*body, "state");
    if (!state.empty() && state != "open" && state != "closed")
      return validationFailed({{"field", "state"}, {"code", "invalid"}});
    FakePull updated;
    {
      std::lock_guard lock(mu);
      auto& stored = repos.at(repoKey(repo.owner, repo.name));
      for (auto& p : stored.pulls) {
        if (p.number != std::stoll(req.param("number"))) continue;
        if (body->contains("title")) p.title = field(*body, "title");
        if (body->contains("body")) p.body = field(*body, "body");
        if (body->contains("base")) p.base = field(*body, "base");
        if (!state.empty() && !p.merged) p.state = state;
        updated = p;
      }
    }
    return ok(200, pullJson(repo, updated));
  });

  add("GET", "/repos/{owner}/{repo}/pulls/{number:int}/files", [this, findPull](Request& req, Repo repo) {
    const auto* pull = findPull(repo, req);
    if (!pull) return gitHubError(404, "Not Found");
    const std::string bare = barePath(repo.owner, repo.name);
    auto head = fake_git::branchSha(bare, pull->head);
    auto base = fake_git::branchSha(bare, pull->base);
    if (!head || !base) return ok(200, json::array{});
    auto files = fake_git::changedFiles(bare, *base, *head);
    if (!files) return gitHubError(500, files.error().message);
    json::array out;
    for (const auto& f : *files) {
      json::object o{{"filename", f.filename},
                     {"status", f.status},
                     {"additions", f.additions},
                     {"deletions", f.deletions},
                     {"changes", f.additions + f.deletions}};
      if (!f.patch.empty()) o["patch"] = f.patch;
      out.push_back(std::move(o));
    }
    return ok(200, out);
  });

  auto commentJson = [](const FakeComment& c) {
    json::object o{{"id", c.id},
                   {"body", c.body},
                   {"user", user(c.user)},
                   {"html_url", c.html_url},
                   {"created_at", nowIso()},
                   {"updated_at", nowIso()}};
    if (!c.path.empty()) {
      o["path"] = c.path;
      o["line"] = c.line;
    }
    if (c.in_reply_to_id) o["in_reply_to_id"] = c.in_reply_to_id;
    return o;
  };

  add("GET", "/repos/{owner}/{repo}/pulls/{number:int}/comments", [findPull, commentJson](Request& req, Repo repo) {
    const auto* pull = findPull(repo, req);
    if (!pull) return gitHubError(404, "Not Found");
    json::array out;
    for (const auto& c : repo.review_comments)
      if (c.number == pull->number) out.push_back(commentJson(c));
    return ok(200, out);
  });

  add("POST", "/repos/{owner}/{repo}/pulls/{number:int}/comments/{comment_id:int}/replies",
      [this, findPull, commentJson](Request& req, Repo repo) {
        const auto* pull = findPull(repo, req);
        if (!pull) return gitHubError(404, "Not Found");
        auto body = objectBody(req);
        if (!body) return gitHubError(400, "Problems parsing JSON");
        if (field(*body, "body").empty()) return validationFailed({{"field", "body"}, {"code", "missing_field"}});
        const std::int64_t parent = std::stoll(req.param("comment_id"));
        std::lock_guard lock(mu);
        auto& stored = repos.at(repoKey(repo.owner, repo.name));
        const FakeComment* original = nullptr;
        for (const auto& c : stored.review_comments)
          if (c.id == parent && c.number == pull->number) original = &c;
        if (!original) return gitHubError(404, "Not Found");
        FakeComment reply;
        reply.id = ++next_id;
        reply.number = pull->number;
        reply.body = field(*body, "body");
        reply.user = options.login;
        reply.path = original->path;
        reply.line = original->line;
        reply.in_reply_to_id = parent;
        reply.html_url = pull->html_url + "#discussion_r" + std::to_string(reply.id);
        stored.review_comments.push_back(reply);
        return ok(201, commentJson(reply));
      });

  add("GET", "/repos/{owner}/{repo}/issues/{number:int}/comments", [findPull, commentJson](Request& req, Repo repo) {
    const auto* pull = findPull(repo, req);
    if (!pull) return gitHubError(404, "Not Found");
    json::array out;
    for (const auto& c : repo.comments)
      if (c.number == pull->number) out.push_back(commentJson(c));
    return ok(200, out);
  });

  add("POST", "/repos/{owner}/{repo}/issues/{number:int}/comments",
      [this, findPull, commentJson](Request& req, Repo repo) {
        const auto* pull = findPull(repo, req);
        if (!pull) return gitHubError(404, "Not Found");
        auto body = objectBody(req);
        if (!body) return gitHubError(400, "Problems parsing JSON");
        if (field(*body, "body").empty())
          return gitHubError(
              422, "Validation Failed",
              json::array{json::object{{"resource", "IssueComment"}, {"field", "body"}, {"code", "missing_field"}}});
        std::lock_guard lock(mu);
        auto& stored = repos.at(repoKey(repo.owner, repo.name));
        FakeComment c;
        c.id = ++next_id;
        c.number = pull->number;
        c.body = field(*body, "body");
        c.user = options.login;
        c.html_url = pull->html_url + "#issuecomment-" + std::to_string(c.id);
        stored.comments.push_back(c);
        return ok(201, commentJson(c));
      });

  // A sha, or a branch's commit; nullopt when neither.
  auto resolve = [this](const Repo& repo, const std::string& ref) -> std::optional<std::string> {
    if (isSha(ref)) return ref;
    return fake_git::branchSha(barePath(repo.owner, repo.name), ref);
  };

  add("GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs", [this, resolve](Request& req, Repo repo) {
    auto sha = resolve(repo, req.param("ref"));
    if (!sha) return gitHubError(422, "No commit found for SHA: " + req.param("ref"));
    std::vector<FakeCheckRun> runs;
    {
      std::lock_guard lock(mu);
      if (auto it = check_runs.find(*sha); it != check_runs.end()) runs = it->second;
    }
    const std::string name = queryValue(req, "check_name"), status = queryValue(req, "status");
    const std::string full = repoKey(repo.owner, repo.name);
    json::array out;
    for (const auto& r : runs) {
      if ((!name.empty() && r.name != name) || (!status.empty() && r.status != status)) continue;
      const std::string html = r.html_url.empty() ? baseUrl() + "/" + full + "/runs/" + std::to_string(r.id)
                                                  : r.html_url;
      out.push_back(
          json::object{{"id", r.id},
                       {"name", r.name},
                       {"head_sha", *sha},
                       {"status", r.status},
                       {"conclusion", r.conclusion.empty() ? json::value(nullptr) : json::value(r.conclusion)},
                       {"html_url", html},
                       {"details_url", r.details_url.empty() ? html : r.details_url},
                       {"started_at", nowIso()},
                       {"completed_at", r.status == "completed" ? json::value(nowIso()) : json::value(nullptr)},
                       {"output",
                        {{"title", r.title}, {"summary", r.summary}, {"text", r.text}, {"annotations_count", 0}}},
                       {"app", {{"slug", "github-actions"}, {"name", "GitHub Actions"}}}});
    }
    return ok(200, json::object{{"total_count", out.size()}, {"check_runs", std::move(out)}});
  });

  // A file's content at a ref; raw with Accept: application/vnd.github.raw+json
  // (the only form codecrew asks for), else 415 so a test notices.
  add("GET", "/repos/{owner}/{repo}/contents/{path:rest}", [this, resolve](Request& req, Repo repo) {
    std::string ref = queryValue(req, "ref");
    if (ref.empty()) ref = repo.default_branch;
    auto sha = resolve(repo, ref);
    if (!sha) return gitHubError(404, "No commit found for the ref " + ref);
    auto content = fake_git::fileAt(barePath(repo.owner, repo.name), *sha, req.param("path"));
    if (!content) return gitHubError(404, "Not Found");
    if (req.header("Accept").value_or("").find("raw") == std::string::npos)
      return gitHubError(415, "the fake serves contents raw only");
    Response r;
    r.status = 200;
    r.content_type = "application/vnd.github.raw+json";
    r.body = std::move(*content);
    return r;
  });

  add("GET", "/repos/{owner}/{repo}/commits/{ref}/status", [this, resolve](Request& req, Repo repo) {
    auto sha = resolve(repo, req.param("ref"));
    if (!sha) return gitHubError(422, "No commit found for SHA: " + req.param("ref"));
    CombinedStatus combined;
    {
      std::lock_guard lock(mu);
      if (auto it = statuses.find(*sha); it != statuses.end()) combined = it->second;
    }
    json::array list;
    std::int64_t id = 1;
    for (const auto& s : combined.statuses)
      list.push_back(json::object{{"id", id++},
                                  {"context", s.context},
                                  {"state", s.state},
                                  {"description", s.description},
                                  {"target_url", s.target_url},
                                  {"created_at", nowIso()}});
    return ok(200, json::object{{"state", combined.state},
                                {"sha", *sha},
                                {"total_count", list.size()},
                                {"statuses", std::move(list)},
                                {"repository", {{"full_name", repoKey(repo.owner, repo.name)}}}});
  });
}

}  // namespace codecrew::testing
