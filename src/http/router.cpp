#include "http/router.h"

#include "core/ids.h"

#include <boost/url/pct_string_view.hpp>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace codecrew::http {
namespace {

using Kind = PatternSegment::Kind;

// Splits "/a/b/c" into {"a", "b", "c"}; "/" and "" give no segments.
std::vector<std::string_view> splitPath(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return out;
  while (true) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

std::optional<std::string> percentDecode(std::string_view encoded) {
  auto pct = boost::urls::make_pct_string_view(encoded);
  if (!pct) return std::nullopt;
  return pct->decode();
}

PatternSegment parseSegment(std::string_view text, const std::string& pattern) {
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') {
    if (text.find_first_of("{}") != std::string_view::npos)
      throw std::invalid_argument("malformed parameter in route pattern " + pattern);
    return {Kind::kLiteral, std::string(text)};
  }
  std::string_view inner = text.substr(1, text.size() - 2);
  std::string_view name = inner.substr(0, inner.find(':'));
  std::string_view type = inner.size() > name.size() ? inner.substr(name.size() + 1) : "str";
  if (name.empty()) throw std::invalid_argument("unnamed parameter in route pattern " + pattern);
  if (type == "int") return {Kind::kInt, std::string(name)};
  if (type == "str") return {Kind::kStr, std::string(name)};
  if (type == "rest") return {Kind::kRest, std::string(name)};
  throw std::invalid_argument("unknown parameter type '" + std::string(type) + "' in route pattern " + pattern);
}

std::vector<PatternSegment> parsePattern(const std::string& pattern) {
  if (pattern.empty() || pattern.front() != '/')
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  std::vector<PatternSegment> segments;
  std::set<std::string> names;
  for (auto part : splitPath(pattern)) {
    if (!segments.empty() && segments.back().kind == Kind::kRest)
      throw std::invalid_argument("a rest parameter must be last in route pattern " + pattern);
    segments.push_back(parseSegment(part, pattern));
    if (segments.back().kind != Kind::kLiteral && !names.insert(segments.back().text).second)
      throw std::invalid_argument("duplicate parameter name in route pattern " + pattern);
  }
  return segments;
}

// Lower rank is more specific.
int rankOf(Kind kind) {
  switch (kind) {
    case Kind::kLiteral: return 0;
    case Kind::kInt: return 1;
    case Kind::kStr: return 2;
    case Kind::kRest: return 3;
  }
  return 3;
}

struct IntMismatch {
  std::string param;
  std::string value;
  std::string noun;  // what the id names: "workflow" for /workflows/{id:int}
};

struct Attempt {
  enum class Outcome { kMatch, kIntMismatch, kNoMatch } outcome = Outcome::kNoMatch;
  std::map<std::string, std::string> params;
  std::vector<int> ranks;
  IntMismatch mismatch;
};

std::string singular(std::string_view word) {
  if (word.size() > 3 && word.ends_with("ies")) return std::string(word.substr(0, word.size() - 3)) + "y";
  if (word.size() > 1 && word.ends_with('s')) return std::string(word.substr(0, word.size() - 1));
  return std::string(word);
}

// Matches one decoded segment against a pattern segment; records params.
// Returns false on a mismatch, filling `attempt` when it is an int mismatch.
bool matchSegment(const std::vector<PatternSegment>& pattern, size_t i, const std::string& value, Attempt& attempt) {
  const auto& seg = pattern[i];
  switch (seg.kind) {
    case Kind::kLiteral: return value == seg.text;
    case Kind::kStr:
      if (value.empty()) return false;
      attempt.params[seg.text] = value;
      return true;
    case Kind::kInt:
      if (core::parseId(value)) {
        attempt.params[seg.text] = value;
        return true;
      }
      if (attempt.outcome != Attempt::Outcome::kIntMismatch) {
        attempt.outcome = Attempt::Outcome::kIntMismatch;
        // A plural collection before the id names it: /workflows/{id:int}.
        bool collection = i > 0 && pattern[i - 1].kind == Kind::kLiteral && pattern[i - 1].text.ends_with('s');
        std::string noun = collection ? singular(pattern[i - 1].text) : "";
        attempt.mismatch = {seg.text, value, std::move(noun)};
      }
      return true;                   // keep going: the rest of the path must still match
    case Kind::kRest: return false;  // handled by the caller
  }
  return false;
}

Attempt attemptMatch(const Route& route, std::string_view raw_path, const std::vector<std::string_view>& raw_segments,
                     const std::vector<std::optional<std::string>>& decoded) {
  const auto& pattern = route.segments;
  bool has_rest = !pattern.empty() && pattern.back().kind == Kind::kRest;
  if (has_rest ? raw_segments.size() < pattern.size() : raw_segments.size() != pattern.size()) return {};
  Attempt attempt;
  size_t i = 0;
  for (; i < pattern.size(); ++i) {
    attempt.ranks.push_back(rankOf(pattern[i].kind));
    if (pattern[i].kind == Kind::kRest) {
      if (i >= raw_segments.size()) return {};
      auto offset = static_cast<size_t>(raw_segments[i].data() - raw_path.data());
      auto rest = percentDecode(raw_path.substr(offset));
      if (!rest || rest->empty()) return {};
      attempt.params[pattern[i].text] = std::move(*rest);
      if (attempt.outcome != Attempt::Outcome::kIntMismatch) attempt.outcome = Attempt::Outcome::kMatch;
      return attempt;
    }
    if (i >= raw_segments.size() || !decoded[i]) return {};
    if (!matchSegment(pattern, i, *decoded[i], attempt)) return {};
  }
  if (i != raw_segments.size()) return {};
  if (attempt.outcome != Attempt::Outcome::kIntMismatch) attempt.outcome = Attempt::Outcome::kMatch;
  return attempt;
}

Response intMismatchResponse(const IntMismatch& m) {
  std::string what = !m.noun.empty() ? m.noun + " id" : m.param == "id" ? "id" : "id for '" + m.param + "'";
  boost::json::object details{{"parameter", m.param}, {"value", m.value}};
  return Response::error(404, "not_found", "'" + m.value + "' is not a valid " + what + ": ids are positive integers",
                         details);
}

std::string joinMethods(const std::vector<std::string>& methods) {
  std::string out;
  for (const auto& m : methods) out += (out.empty() ? "" : ", ") + m;
  return out;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  if (!handler) throw std::invalid_argument("empty handler for " + pattern);
  Route route{std::move(method), std::move(pattern), std::move(options), std::move(handler), {}, {}};
  addRoute(std::move(route));
}

void Router::addStream(std::string method, std::string pattern, StreamHandler handler, RouteOptions options) {
  if (!handler) throw std::invalid_argument("empty stream handler for " + pattern);
  Route route{std::move(method), std::move(pattern), std::move(options), {}, std::move(handler), {}};
  addRoute(std::move(route));
}

void Router::addWebSocket(std::string pattern, WebSocketHandler handler, RouteOptions options) {
  if (!handler) throw std::invalid_argument("empty WebSocket handler for " + pattern);
  Route route{"GET", std::move(pattern), std::move(options), {}, {}, {}, std::move(handler)};
  addRoute(std::move(route));
}

void Router::addRoute(Route route) {
  route.segments = parsePattern(route.pattern);
  if (route.method.empty()) throw std::invalid_argument("empty method for " + route.pattern);
  for (const auto& r : routes_)
    if (r.method == route.method && r.pattern == route.pattern)
      throw std::invalid_argument("duplicate route " + route.method + " " + route.pattern);
  bool literal = std::all_of(route.segments.begin(), route.segments.end(),
                             [](const PatternSegment& s) { return s.kind == PatternSegment::Kind::kLiteral; });
  if (literal) literal_routes_[route.method + " " + route.pattern] = routes_.size();
  routes_.push_back(std::move(route));
}

namespace {
// A matching route's method is allowed, and HEAD with a GET that answers
// whole (match() serves that HEAD from it).
void addAllowedMethods(std::set<std::string>& allowed, const Route& route) {
  allowed.insert(route.method);
  if (route.method == "GET" && route.handler) allowed.insert("HEAD");
}
}  // namespace

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch match = matchMethod(method, path);
  if (!match.route && method == "HEAD") {
    RouteMatch get = matchMethod("GET", path);
    if (get.route && get.route->handler) return get;
  }
  if (match.error && !shapers_.empty()) match.error = shapeError(path, std::move(*match.error));
  return match;
}

void Router::shapeErrorsUnder(std::string prefix, ErrorShaper shaper) {
  shapers_.emplace_back(std::move(prefix), std::move(shaper));
}

Response Router::shapeError(std::string_view path, Response refusal) const {
  const ErrorShaper* best = nullptr;
  std::size_t best_length = 0;
  for (const auto& [prefix, shaper] : shapers_) {
    if (path.starts_with(prefix) && (!best || prefix.size() > best_length)) {
      best = &shaper;
      best_length = prefix.size();
    }
  }
  return best ? (*best)(path, std::move(refusal)) : std::move(refusal);
}

RouteMatch Router::matchMethod(std::string_view method, std::string_view path) const {
  if (path.find('%') == std::string_view::npos) {
    std::string key;
    key.reserve(method.size() + 1 + path.size());
    key.append(method).append(" ").append(path);
    if (auto it = literal_routes_.find(key); it != literal_routes_.end()) {
      RouteMatch exact;
      exact.route = &routes_[it->second];
      return exact;
    }
  }
  auto raw_segments = splitPath(path);
  std::vector<std::optional<std::string>> decoded;
  decoded.reserve(raw_segments.size());
  for (auto s : raw_segments) decoded.push_back(percentDecode(s));

  RouteMatch result;
  std::optional<Attempt> best;
  std::optional<IntMismatch> mismatch;        // for a route of this method
  std::optional<IntMismatch> other_mismatch;  // for a route of another method
  std::set<std::string> allowed;
  for (const auto& route : routes_) {
    Attempt a = attemptMatch(route, path, raw_segments, decoded);
    if (a.outcome == Attempt::Outcome::kIntMismatch) {
      auto& slot = route.method == method ? mismatch : other_mismatch;
      if (!slot) slot = a.mismatch;
    }
    if (a.outcome != Attempt::Outcome::kMatch) continue;
    addAllowedMethods(allowed, route);
    if (route.method != method) continue;
    if (!best || a.ranks < best->ranks) {
      result.route = &route;
      best = std::move(a);
    }
  }
  if (best) {
    result.params = std::move(best->params);
  } else if (mismatch) {
    result.error = intMismatchResponse(*mismatch);
  } else if (!allowed.empty()) {
    std::vector<std::string> methods(allowed.begin(), allowed.end());
    Response r = Response::error(405, "method_not_allowed",
                                 "method " + std::string(method) + " is not allowed for " + std::string(path) +
                                     " (allowed: " + joinMethods(methods) + ")");
    r.headers.emplace_back("Allow", joinMethods(methods));
    result.error = std::move(r);
  } else if (other_mismatch) {
    result.error = intMismatchResponse(*other_mismatch);
  } else {
    result.error = Response::error(404, "not_found", "no route for " + std::string(method) + " " + std::string(path));
  }
  return result;
}

std::vector<std::string> Router::allowedMethods(std::string_view path) const {
  auto raw_segments = splitPath(path);
  std::vector<std::optional<std::string>> decoded;
  decoded.reserve(raw_segments.size());
  for (auto s : raw_segments) decoded.push_back(percentDecode(s));
  std::set<std::string> allowed;
  for (const auto& route : routes_)
    if (attemptMatch(route, path, raw_segments, decoded).outcome == Attempt::Outcome::kMatch)
      addAllowedMethods(allowed, route);
  return {allowed.begin(), allowed.end()};
}

}  // namespace codecrew::http
