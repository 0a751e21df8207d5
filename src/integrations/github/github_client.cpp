#include "integrations/github/github_client.h"

#include "llm/providers/json_util.h"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace codecrew::integrations::github {
namespace json = boost::json;
namespace lj = llm::json;

namespace {

std::string enc(const std::string& s) { return boost::urls::encode(s, boost::urls::unreserved_chars); }

std::string messageOf(const RestResponse& r) {
  std::string m;
  if (const auto* o = r.json.if_object()) {
    m = lj::str(*o, "message");
    if (const auto* errs = lj::arr(*o, "errors")) {
      for (const auto& e : *errs)
        if (const auto* eo = e.if_object())
          if (auto em = lj::str(*eo, "message"); !em.empty()) m += (m.empty() ? "" : ": ") + em;
    }
  }
  return m.empty() ? "HTTP " + std::to_string(r.status) : m;
}

core::Error statusError(const std::string& what, const RestResponse& r) {
  std::string msg = "GitHub " + what + ": " + messageOf(r) + " (HTTP " + std::to_string(r.status) + ")";
  switch (r.status) {
    case 401: return core::Error::unauthenticated(msg + "; set GITHUB_TOKEN or [github] token");
    case 403: return core::Error::permissionDenied(msg);
    case 404: return core::Error::notFound(msg);
    case 422:
      if (msg.find("already exists") != std::string::npos) return core::Error::alreadyExists(msg);
      return core::Error::invalidArgument(msg);
    default: return core::Error::unavailable(msg);
  }
}

PullRequestInfo pullOf(const json::object& o) {
  PullRequestInfo p;
  p.number = lj::i64(o, "number");
  p.url = lj::str(o, "html_url");
  p.title = lj::str(o, "title");
  p.state = lj::str(o, "state");
  if (const auto* d = o.if_contains("draft"); d && d->is_bool()) p.draft = d->get_bool();
  if (const auto* m = o.if_contains("merged"); m && m->is_bool()) p.merged = m->get_bool();
  if (const auto* m = o.if_contains("merged_at"); m && m->is_string()) p.merged = true;
  if (const auto* h = lj::obj(o, "head")) {
    p.head_branch = lj::str(*h, "ref");
    p.head_sha = lj::str(*h, "sha");
  }
  if (const auto* b = lj::obj(o, "base")) p.base_branch = lj::str(*b, "ref");
  return p;
}

}  // namespace

GitHubClient::GitHubClient(std::shared_ptr<RestClient> rest, std::string api_url)
    : rest_(std::move(rest)), api_url_(std::move(api_url)) {
  while (!api_url_.empty() && api_url_.back() == '/') api_url_.pop_back();
}

boost::asio::awaitable<core::Result<RestResponse>> GitHubClient::send(std::string method, std::string path,
                                                                      std::optional<json::value> body,
                                                                      http::Headers headers) {
  ++calls_;
  RestRequest req;
  req.method = std::move(method);
  req.url = api_url_ + path;
  req.body = std::move(body);
  req.headers = std::move(headers);
  co_return co_await rest_->call(std::move(req));
}

boost::asio::awaitable<core::Result<RepositoryInfo>> GitHubClient::repository(const RepoName& repo) {
  auto r = co_await send(std::string("GET"), "/repos/" + enc(repo.owner) + "/" + enc(repo.name));
  if (!r) co_return r.error();
  if (r->status != 200 || !r->json.is_object()) co_return statusError("repository " + repo.full(), *r);
  const auto& o = r->json.get_object();
  co_return RepositoryInfo{lj::str(o, "full_name"), lj::str(o, "default_branch"), lj::str(o, "html_url")};
}

boost::asio::awaitable<core::Result<std::optional<PullRequestInfo>>> GitHubClient::findOpenPullRequest(
    const RepoName& repo, const std::string& branch) {
  auto r = co_await send(std::string("GET"), "/repos/" + enc(repo.owner) + "/" + enc(repo.name) +
                                                 "/pulls?state=open&head=" + enc(repo.owner + ":" + branch));
  if (!r) co_return r.error();
  if (r->status != 200 || !r->json.is_array()) co_return statusError("pull requests of " + repo.full(), *r);
  for (const auto& v : r->json.get_array()) {
    if (!v.is_object()) continue;
    auto p = pullOf(v.get_object());
    if (p.head_branch == branch) co_return std::optional<PullRequestInfo>(p);
  }
  co_return std::optional<PullRequestInfo>();
}

boost::asio::awaitable<core::Result<PullRequestInfo>> GitHubClient::createPullRequest(const RepoName& repo,
                                                                                      const NewPullRequest& pr) {
  json::object body{{"title", pr.title}, {"head", pr.head}, {"base", pr.base}, {"body", pr.body}, {"draft", pr.draft}};
  auto r = co_await send(std::string("POST"), "/repos/" + enc(repo.owner) + "/" + enc(repo.name) + "/pulls",
                         json::value(body));
  if (!r) co_return r.error();
  if (r->status != 201 || !r->json.is_object()) co_return statusError("opening a pull request on " + repo.full(), *r);
  co_return pullOf(r->json.get_object());
}

boost::asio::awaitable<core::Result<PullRequestInfo>> GitHubClient::pullRequest(const RepoName& repo,
                                                                                std::int64_t number) {
  auto r = co_await send(std::string("GET"),
                         "/repos/" + enc(repo.owner) + "/" + enc(repo.name) + "/pulls/" + std::to_string(number));
  if (!r) co_return r.error();
  if (r->status != 200 || !r->json.is_object())
    co_return statusError("pull request #" + std::to_string(number) + " of " + repo.full(), *r);
  co_return pullOf(r->json.get_object());
}

boost::asio::awaitable<core::Status> GitHubClient::updatePullRequestBody(const RepoName& repo, std::int64_t number,
                                                                         const std::string& body) {
  json::value payload = json::object{{"body", body}};
  auto r = co_await send(std::string("PATCH"),
                         "/repos/" + enc(repo.owner) + "/" + enc(repo.name) + "/pulls/" + std::to_string(number),
                         std::move(payload));
  if (!r) co_return r.error();
  if (r->status != 200) co_return statusError("updating pull request #" + std::to_string(number), *r);
  co_return core::okStatus();
}

boost::asio::awaitable<core::Result<std::vector<CheckRunInfo>>> GitHubClient::checkRuns(const RepoName& repo,
                                                                                        const std::string& sha) {
  auto r = co_await send(std::string("GET"), "/repos/" + enc(repo.owner) + "/" + enc(repo.name) + "/commits/" +
                                                 enc(sha) + "/check-runs?per_page=100");
  if (!r) co_return r.error();
  if (r->status != 200 || !r->json.is_object()) co_return statusError("check runs of " + sha, *r);
  std::vector<CheckRunInfo> out;
  if (const auto* runs = lj::arr(r->json.get_object(), "check_runs")) {
    for (const auto& v : *runs) {
      if (!v.is_object()) continue;
      const auto& o = v.get_object();
      CheckRunInfo c;
      c.id = lj::i64(o, "id");
      c.name = lj::str(o, "name");
      c.head_sha = lj::str(o, "head_sha");
      c.status = lj::str(o, "status");
      c.conclusion = lj::str(o, "conclusion");
      c.url = lj::str(o, "html_url");
      if (c.url.empty()) c.url = lj::str(o, "details_url");
      if (const auto* out_o = lj::obj(o, "output")) {
        auto title = lj::str(*out_o, "title"), summary = lj::str(*out_o, "summary");
        c.summary = title.empty() ? summary : summary.empty() ? title : title + "\n" + summary;
        c.text = lj::str(*out_o, "text");
      }
      out.push_back(std::move(c));
    }
  }
  co_return out;
}

boost::asio::awaitable<core::Result<CombinedStatus>> GitHubClient::combinedStatus(const RepoName& repo,
                                                                                  const std::string& sha) {
  auto r = co_await send(std::string("GET"),
                         "/repos/" + enc(repo.owner) + "/" + enc(repo.name) + "/commits/" + enc(sha) + "/status");
  if (!r) co_return r.error();
  if (r->status != 200 || !r->json.is_object()) co_return statusError("commit status of " + sha, *r);
  const auto& o = r->json.get_object();
  CombinedStatus s{lj::str(o, "state"), lj::str(o, "sha"), {}};
  if (const auto* list = lj::arr(o, "statuses")) {
    for (const auto& v : *list) {
      if (!v.is_object()) continue;
      const auto& so = v.get_object();
      s.statuses.push_back(
          {lj::str(so, "context"), lj::str(so, "state"), lj::str(so, "description"), lj::str(so, "target_url")});
    }
  }
  co_return s;
}

boost::asio::awaitable<core::Result<std::int64_t>> GitHubClient::comment(const RepoName& repo, std::int64_t number,
                                                                         const std::string& body) {
  json::value payload = json::object{{"body", body}};
  auto r = co_await send(std::string("POST"),
                         "/repos/" + enc(repo.owner) + "/" + enc(repo.name) + "/issues/" + std::to_string(number) +
                             "/comments",
                         std::move(payload));
  if (!r) co_return r.error();
  if (r->status != 201 || !r->json.is_object()) co_return statusError("commenting on #" + std::to_string(number), *r);
  co_return lj::i64(r->json.get_object(), "id");
}

boost::asio::awaitable<core::Result<std::int64_t>> GitHubClient::replyToReviewComment(const RepoName& repo,
                                                                                      std::int64_t number,
                                                                                      std::int64_t comment_id,
                                                                                      const std::string& body) {
  json::value payload = json::object{{"body", body}};
  auto r = co_await send(std::string("POST"),
                         "/repos/" + enc(repo.owner) + "/" + enc(repo.name) + "/pulls/" + std::to_string(number) +
                             "/comments/" + std::to_string(comment_id) + "/replies",
                         std::move(payload));
  if (!r) co_return r.error();
  if (r->status != 201 || !r->json.is_object())
    co_return statusError("replying to review comment " + std::to_string(comment_id), *r);
  co_return lj::i64(r->json.get_object(), "id");
}

boost::asio::awaitable<core::Result<std::vector<PullFile>>> GitHubClient::pullFiles(const RepoName& repo,
                                                                                    std::int64_t number) {
  std::vector<PullFile> out;
  for (int page = 1; page <= 30; ++page) {
    auto r = co_await send(std::string("GET"), "/repos/" + enc(repo.owner) + "/" + enc(repo.name) + "/pulls/" +
                                                   std::to_string(number) +
                                                   "/files?per_page=100&page=" + std::to_string(page));
    if (!r) co_return r.error();
    if (r->status != 200 || !r->json.is_array())
      co_return statusError("files of pull request #" + std::to_string(number), *r);
    for (const auto& v : r->json.get_array()) {
      if (!v.is_object()) continue;
      const auto& o = v.get_object();
      out.push_back({lj::str(o, "filename"), lj::str(o, "status"), lj::str(o, "patch")});
    }
    if (r->json.get_array().size() < 100) break;
  }
  co_return out;
}

boost::asio::awaitable<core::Result<std::optional<std::string>>> GitHubClient::fileAt(const RepoName& repo,
                                                                                      const std::string& path,
                                                                                      const std::string& ref) {
  std::string p;
  for (std::size_t start = 0; start <= path.size();) {
    auto end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    p += (p.empty() ? "" : "/") + enc(path.substr(start, end - start));
    start = end + 1;
  }
  http::Headers raw{{"Accept", "application/vnd.github.raw+json"}};
  auto r = co_await send(std::string("GET"),
                         "/repos/" + enc(repo.owner) + "/" + enc(repo.name) + "/contents/" + p + "?ref=" + enc(ref),
                         std::nullopt, std::move(raw));
  if (!r) co_return r.error();
  if (r->status == 404) co_return std::optional<std::string>();
  if (r->status != 200) co_return statusError("file " + path + " at " + ref, *r);
  co_return std::optional<std::string>(std::move(r->body));
}

std::optional<RepoName> repoFromUrl(const std::string& url, const std::string& web_url) {
  std::string base = web_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.empty() || url.size() <= base.size() + 1 || url.compare(0, base.size(), base) != 0 ||
      url[base.size()] != '/')
    return std::nullopt;
  std::string rest = url.substr(base.size() + 1);
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.size() > 4 && rest.compare(rest.size() - 4, 4, ".git") == 0) rest.resize(rest.size() - 4);
  auto slash = rest.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 >= rest.size()) return std::nullopt;
  RepoName n{rest.substr(0, slash), rest.substr(slash + 1)};
  if (n.name.find('/') != std::string::npos) return std::nullopt;
  auto ok = [](const std::string& s) {
    if (s == "." || s == "..") return false;
    for (char c : s)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
    return true;
  };
  if (!ok(n.owner) || !ok(n.name)) return std::nullopt;
  return n;
}

}  // namespace codecrew::integrations::github
