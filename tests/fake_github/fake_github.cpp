#include "fake_git.h"
#include "fake_github_impl.h"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace codecrew::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64Encode(std::string_view in) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned n = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += kBase64[n >> 18];
    out += kBase64[(n >> 12) & 63];
    out += kBase64[(n >> 6) & 63];
    out += kBase64[n & 63];
  }
  if (i + 1 == in.size()) {
    unsigned n = (unsigned char)in[i] << 16;
    out += kBase64[n >> 18];
    out += kBase64[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    unsigned n = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += kBase64[n >> 18];
    out += kBase64[(n >> 12) & 63];
    out += kBase64[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::optional<std::string> base64Decode(std::string_view in) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    auto pos = kBase64.find(c);
    if (pos == std::string_view::npos) return std::nullopt;
    buffer = buffer << 6 | unsigned(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += char((buffer >> bits) & 0xff);
    }
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string makeTempRoot() {
  std::string pattern = (fs::temp_directory_path() / "fake-github-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("fake github: cannot make a temporary directory");
  return pattern;
}

std::string queryOf(const http::Request& req) {
  auto q = req.target.find('?');
  return q == std::string::npos ? std::string() : req.target.substr(q + 1);
}

// The user a git request authenticates as, if its Basic password is the token.
std::optional<std::string> gitUser(const http::Request& req, const std::string& token) {
  auto auth = req.header("Authorization");
  if (!auth || auth->size() < 6 || !iequals(auth->substr(0, 6), "Basic ")) return std::nullopt;
  auto decoded = base64Decode(std::string_view(*auth).substr(6));
  if (!decoded) return std::nullopt;
  auto colon = decoded->find(':');
  if (colon == std::string::npos || decoded->substr(colon + 1) != token) return std::nullopt;
  return decoded->substr(0, colon);
}

}  // namespace

http::Response gitHubError(int status, const std::string& message, json::value errors) {
  json::object body{{"message", message}, {"documentation_url", "https://docs.github.com/rest"}};
  if (!errors.is_null()) body["errors"] = std::move(errors);
  auto r = http::Response::json(status, body);
  r.content_type = "application/json; charset=utf-8";
  return r;
}

std::string FakeGitHubRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return v;
  return "";
}

FakeFault primaryRateLimitFault(std::int64_t reset_epoch_seconds) {
  return {
      403,
      {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", std::to_string(reset_epoch_seconds)}},
      R"({"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"})"};
}

FakeFault secondaryRateLimitFault(int retry_after_seconds) {
  return {
      403,
      {{"retry-after", std::to_string(retry_after_seconds)}},
      R"({"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:1111:2222:3333.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"})"};
}

FakeFault tooManyRequestsFault(int retry_after_seconds) {
  return {429, {{"retry-after", std::to_string(retry_after_seconds)}}, R"({"message":"Too Many Requests"})"};
}

// --- Impl ------------------------------------------------------------------------------------

FakeGitHub::Impl::Impl(FakeGitHubOptions o) : options(std::move(o)), root(makeTempRoot()), scopes(options.scopes) {
  using namespace std::chrono;
  rate_reset = duration_cast<seconds>(system_clock::now().time_since_epoch()).count() + 3600;
}

FakeGitHub::Impl::~Impl() {
  stop();
  std::error_code ec;
  fs::remove_all(root, ec);
}

core::Status FakeGitHub::Impl::start() {
  auto router = std::make_shared<http::Router>();
  addGitRoutes(*router);
  addRestRoutes(*router);
  router->shapeErrorsUnder("/", [](std::string_view, http::Response refusal) {
    return gitHubError(refusal.status, refusal.status == 404 ? "Not Found" : "Bad Request");
  });
  http::ServerOptions so;
  so.host = options.host;
  so.port = 0;
  so.max_body_bytes = std::size_t(512) << 20;
  so.io_threads = 1;
  so.blocking_threads = 4;
  so.shutdown_grace = std::chrono::seconds(2);
  server = std::make_unique<http::Server>(so, router);
  if (auto st = server->start(); !st) return st;
  port = server->port();
  return core::okStatus();
}

void FakeGitHub::Impl::stop() {
  std::call_once(stopped, [this] {
    if (server) server->stop();
  });
}

std::string FakeGitHub::Impl::barePath(const std::string& owner, const std::string& name) const {
  return (fs::path(root) / "repos" / owner / (name + ".git")).string();
}

bool FakeGitHub::Impl::hasRepo(const std::string& owner, const std::string& name) const {
  std::lock_guard lock(mu);
  return repos.count(repoKey(owner, name)) > 0;
}

std::string FakeGitHub::Impl::scopesHeader() const {
  std::lock_guard lock(mu);
  std::string out;
  for (const auto& s : scopes) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::int64_t FakeGitHub::Impl::nextId() {
  std::lock_guard lock(mu);
  return ++next_id;
}

void FakeGitHub::Impl::record(const std::string& kind, const http::Request& req) {
  FakeGitHubRequest r;
  r.kind = kind;
  r.method = req.method;
  r.path = req.path;
  r.query = queryOf(req);
  for (const auto& [k, v] : req.headers) r.headers.emplace_back(k, v);
  r.body = req.body;
  std::lock_guard lock(mu);
  received.push_back(std::move(r));
}

std::optional<FakeFault> FakeGitHub::Impl::takeFault() {
  std::lock_guard lock(mu);
  if (faults.empty()) return std::nullopt;
  FakeFault f = std::move(faults.front());
  faults.pop_front();
  return f;
}

std::vector<std::pair<std::string, std::string>> FakeGitHub::Impl::restHeaders() {
  std::string scope_list = scopesHeader();
  std::lock_guard lock(mu);
  if (rate_remaining > 0) --rate_remaining;
  return {{"x-ratelimit-limit", "5000"},
          {"x-ratelimit-remaining", std::to_string(rate_remaining)},
          {"x-ratelimit-reset", std::to_string(rate_reset)},
          {"x-ratelimit-used", std::to_string(5000 - rate_remaining)},
          {"x-ratelimit-resource", "core"},
          {"X-OAuth-Scopes", scope_list},
          {"X-GitHub-Media-Type", "github.v3; format=json"}};
}

// git smart HTTP: info/refs, git-upload-pack and git-receive-pack of
// /<owner>/<repo>.git, through git http-backend.
void FakeGitHub::Impl::addGitRoutes(http::Router& router) {
  auto serve = [this](http::Request& req) -> http::Response {
    record("git", req);
    const std::string owner = req.param("owner");
    std::string repo = req.param("repo");
    if (!repo.ends_with(".git") || !hasRepo(owner, repo.substr(0, repo.size() - 4)))
      return http::Response::text(404, "Repository not found.\n");
    auto user = gitUser(req, options.token);
    if (!user) {
      auto r = http::Response::text(401, "Invalid username or token. Password authentication is not supported.\n");
      r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"GitHub\"");
      return r;
    }
    fake_git::CgiRequest cgi;
    cgi.project_root = (fs::path(root) / "repos").string();
    cgi.method = req.method;
    cgi.path_info = req.path;
    cgi.query = queryOf(req);
    cgi.content_type = req.header("Content-Type").value_or("");
    cgi.content_encoding = req.header("Content-Encoding").value_or("");
    cgi.git_protocol = req.header("Git-Protocol").value_or("");
    cgi.remote_user = *user;
    cgi.remote_addr = req.remote_address;
    cgi.body = req.body;
    std::string scope_list;
    {
      std::lock_guard lock(mu);
      for (const auto& s : scopes) scope_list += (scope_list.empty() ? "" : ",") + s;
    }
    cgi.env.push_back("FAKE_GITHUB_SCOPES=" + scope_list);
    auto answer = fake_git::httpBackend(cgi);
    if (!answer) return http::Response::text(500, answer.error().message + "\n");
    http::Response r;
    r.status = answer->status;
    r.content_type = answer->content_type.empty() ? "text/plain" : answer->content_type;
    r.headers = std::move(answer->headers);
    r.body = std::move(answer->body);
    return r;
  };
  http::RouteOptions raw;
  raw.json_body = false;
  router.add("GET", "/{owner}/{repo}/info/refs", serve, raw);
  router.add("POST", "/{owner}/{repo}/git-upload-pack", serve, raw);
  router.add("POST", "/{owner}/{repo}/git-receive-pack", serve, raw);
}

// --- FakeGitHub ------------------------------------------------------------------------------

FakeGitHub::FakeGitHub(FakeGitHubOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
FakeGitHub::~FakeGitHub() = default;

core::Status FakeGitHub::start() { return impl_->start(); }
void FakeGitHub::stop() { impl_->stop(); }
int FakeGitHub::port() const { return impl_->port; }
std::string FakeGitHub::baseUrl() const { return impl_->baseUrl(); }
std::string FakeGitHub::apiUrl() const { return impl_->apiUrl(); }
const FakeGitHubOptions& FakeGitHub::options() const { return impl_->options; }

core::Status FakeGitHub::createRepository(const std::string& owner, const std::string& name,
                                          const std::string& default_branch,
                                          const std::map<std::string, std::string>& files) {
  if (impl_->hasRepo(owner, name)) return core::Error::alreadyExists("repository " + repoKey(owner, name) + " exists");
  const std::string scratch = (fs::path(impl_->root) / "scratch" / std::to_string(impl_->nextId())).string();
  if (auto st = fake_git::createBareRepository(impl_->barePath(owner, name), default_branch, files, scratch); !st)
    return st;
  std::lock_guard lock(impl_->mu);
  Impl::Repo repo;
  repo.owner = owner;
  repo.name = name;
  repo.default_branch = default_branch;
  repo.id = 700000000 + std::int64_t(impl_->repos.size()) + 1;
  impl_->repos.emplace(repoKey(owner, name), std::move(repo));
  return core::okStatus();
}

std::string FakeGitHub::gitUrl(const std::string& owner, const std::string& name) const {
  return baseUrl() + "/" + owner + "/" + name + ".git";
}

std::string FakeGitHub::bareRepositoryPath(const std::string& owner, const std::string& name) const {
  return impl_->barePath(owner, name);
}

std::optional<std::string> FakeGitHub::branchSha(const std::string& owner, const std::string& name,
                                                 const std::string& branch) const {
  if (!impl_->hasRepo(owner, name)) return std::nullopt;
  return fake_git::branchSha(impl_->barePath(owner, name), branch);
}

std::optional<std::string> FakeGitHub::fileAt(const std::string& owner, const std::string& name,
                                              const std::string& branch, const std::string& path) const {
  if (!impl_->hasRepo(owner, name) || !branchSha(owner, name, branch)) return std::nullopt;
  return fake_git::fileAt(impl_->barePath(owner, name), "refs/heads/" + branch, path);
}

void FakeGitHub::setScopes(std::vector<std::string> scopes) {
  std::lock_guard lock(impl_->mu);
  impl_->scopes = std::move(scopes);
}

void FakeGitHub::setCheckRuns(const std::string& sha, std::vector<FakeCheckRun> runs) {
  std::lock_guard lock(impl_->mu);
  for (auto& run : runs)
    if (run.id == 0) run.id = ++impl_->next_id;
  impl_->check_runs[sha] = std::move(runs);
}

void FakeGitHub::setCombinedStatus(const std::string& sha, const std::string& state,
                                   std::vector<FakeCommitStatus> statuses) {
  std::lock_guard lock(impl_->mu);
  impl_->statuses[sha] = Impl::CombinedStatus{state, std::move(statuses)};
}

void FakeGitHub::queueFault(FakeFault fault) {
  std::lock_guard lock(impl_->mu);
  impl_->faults.push_back(std::move(fault));
}

std::int64_t FakeGitHub::addReviewComment(const std::string& owner, const std::string& name, std::int64_t number,
                                          const std::string& path, std::int64_t line, const std::string& body,
                                          const std::string& user) {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->repos.find(repoKey(owner, name));
  if (it == impl_->repos.end()) return 0;
  FakeComment c;
  c.id = ++impl_->next_id;
  c.number = number;
  c.body = body;
  c.user = user;
  c.path = path;
  c.line = line;
  c.html_url = baseUrl() + "/" + repoKey(owner, name) + "/pull/" + std::to_string(number) + "#discussion_r" +
               std::to_string(c.id);
  it->second.review_comments.push_back(c);
  return c.id;
}

core::Status FakeGitHub::setPullState(const std::string& owner, const std::string& name, std::int64_t number,
                                      const std::string& state, bool merged) {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->repos.find(repoKey(owner, name));
  if (it != impl_->repos.end()) {
    for (auto& pull : it->second.pulls) {
      if (pull.number != number) continue;
      pull.state = state;
      pull.merged = merged;
      return core::okStatus();
    }
  }
  return core::Error::notFound("no pull request " + repoKey(owner, name) + "#" + std::to_string(number));
}

std::vector<FakeGitHubRequest> FakeGitHub::requests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->received;
}

std::vector<FakePull> FakeGitHub::pulls(const std::string& owner, const std::string& name) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->repos.find(repoKey(owner, name));
  return it == impl_->repos.end() ? std::vector<FakePull>() : it->second.pulls;
}

std::vector<FakeComment> FakeGitHub::comments(const std::string& owner, const std::string& name,
                                              std::int64_t number) const {
  std::lock_guard lock(impl_->mu);
  std::vector<FakeComment> out;
  auto it = impl_->repos.find(repoKey(owner, name));
  if (it != impl_->repos.end())
    for (const auto& c : it->second.comments)
      if (c.number == number) out.push_back(c);
  return out;
}

std::vector<FakeComment> FakeGitHub::reviewComments(const std::string& owner, const std::string& name,
                                                    std::int64_t number) const {
  std::lock_guard lock(impl_->mu);
  std::vector<FakeComment> out;
  auto it = impl_->repos.find(repoKey(owner, name));
  if (it != impl_->repos.end())
    for (const auto& c : it->second.review_comments)
      if (c.number == number) out.push_back(c);
  return out;
}

int FakeGitHub::pullCreateCount() const {
  std::lock_guard lock(impl_->mu);
  return impl_->pull_creates;
}

std::string FakeGitHub::basicAuthorization(const std::string& token) {
  return "Basic " + base64Encode("x-access-token:" + token);
}

}  // namespace codecrew::testing
