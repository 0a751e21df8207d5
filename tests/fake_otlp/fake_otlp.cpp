#include "fake_otlp.h"

#include "http/router.h"
#include "http/server.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace codecrew::testing {
namespace {

namespace bj = boost::json;

struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string& what) { throw DecodeError(what); }

const bj::value* member(const bj::object& o, std::string_view key) { return o.if_contains(key); }

const bj::object& asObject(const bj::value& v, const std::string& what) {
  if (!v.is_object()) fail(what + " is not an object");
  return v.as_object();
}

const bj::array& arrayMember(const bj::object& o, std::string_view key, const std::string& what) {
  static const bj::array empty;
  const auto* v = member(o, key);
  if (!v) return empty;  // proto3 JSON omits empty repeated fields
  if (!v->is_array()) fail(what + "." + std::string(key) + " is not an array");
  return v->as_array();
}

std::string stringMember(const bj::object& o, std::string_view key, const std::string& what) {
  const auto* v = member(o, key);
  if (!v) return "";
  if (!v->is_string()) fail(what + "." + std::string(key) + " is not a string");
  return std::string(v->as_string());
}

// An id as the OTLP JSON encoding writes it: lower-case hex, `digits` long.
std::string hexId(const bj::object& o, std::string_view key, std::size_t digits, bool required,
                  const std::string& what) {
  const std::string id = stringMember(o, key, what);
  if (id.empty() && !required) return id;
  const bool hex = std::all_of(id.begin(), id.end(),
                               [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
  if (id.size() != digits || !hex)
    fail(what + "." + std::string(key) + " '" + id + "' is not " + std::to_string(digits) +
         " lower-case hex digits (the OTLP JSON encoding writes ids in hex, not base64)");
  if (std::all_of(id.begin(), id.end(), [](char c) { return c == '0'; }))
    fail(what + "." + std::string(key) + " is all zeros");
  return id;
}

// A 64-bit integer as a decimal string (the OTLP JSON encoding of int64/fixed64).
std::int64_t int64String(const bj::value& v, const std::string& what) {
  if (!v.is_string()) fail(what + " is not a decimal string");
  const std::string s(v.as_string());
  const std::size_t digits_from = !s.empty() && s[0] == '-' ? 1 : 0;
  if (s.size() == digits_from || s.size() > 20 ||
      !std::all_of(s.begin() + digits_from, s.end(), [](unsigned char c) { return std::isdigit(c) != 0; }))
    fail(what + " '" + s + "' is not a decimal string");
  return std::stoll(s);
}

bj::value anyValue(const bj::value& v, const std::string& what) {
  const auto& o = asObject(v, what);
  if (o.size() != 1) fail(what + " must hold exactly one of stringValue, intValue, doubleValue, boolValue");
  const auto& [key, inner] = *o.begin();
  if (key == "stringValue" && inner.is_string()) return inner;
  if (key == "intValue") return int64String(inner, what + ".intValue");
  if (key == "boolValue" && inner.is_bool()) return inner;
  if (key == "doubleValue") {
    if (inner.is_number()) return inner.to_number<double>();
    if (inner.is_string()) return inner;  // "NaN", "Infinity", "-Infinity"
  }
  fail(what + " has an unexpected " + std::string(key));
}

std::map<std::string, bj::value> attributes(const bj::object& o, const std::string& what) {
  std::map<std::string, bj::value> out;
  const auto& list = arrayMember(o, "attributes", what);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = what + ".attributes[" + std::to_string(i) + "]";
    const auto& kv = asObject(list[i], at);
    const std::string key = stringMember(kv, "key", at);
    if (key.empty()) fail(at + " has no key");
    const auto* value = member(kv, "value");
    if (!value) fail(at + " has no value");
    out[key] = anyValue(*value, at + ".value");
  }
  return out;
}

ReceivedSpan decodeSpan(const bj::value& v, const std::string& what) {
  const auto& o = asObject(v, what);
  ReceivedSpan s;
  s.trace_id = hexId(o, "traceId", 32, true, what);
  s.span_id = hexId(o, "spanId", 16, true, what);
  s.parent_span_id = hexId(o, "parentSpanId", 16, false, what);
  s.name = stringMember(o, "name", what);
  if (const auto* kind = member(o, "kind")) {
    if (!kind->is_int64()) fail(what + ".kind is not an integer (the OTLP JSON encoding writes enums as integers)");
    s.kind = int(kind->as_int64());
  }
  const auto* start = member(o, "startTimeUnixNano");
  const auto* end = member(o, "endTimeUnixNano");
  if (!start || !end) fail(what + " has no startTimeUnixNano or endTimeUnixNano");
  s.start_unix_nanos = int64String(*start, what + ".startTimeUnixNano");
  s.end_unix_nanos = int64String(*end, what + ".endTimeUnixNano");
  s.attributes = attributes(o, what);
  if (const auto* status = member(o, "status")) {
    const auto& st = asObject(*status, what + ".status");
    if (const auto* code = member(st, "code")) {
      if (!code->is_int64()) fail(what + ".status.code is not an integer");
      s.status_code = int(code->as_int64());
    }
    s.status_message = stringMember(st, "message", what + ".status");
  }
  return s;
}

std::vector<ReceivedSpan> decode(const std::string& body) {
  boost::system::error_code ec;
  auto doc = bj::parse(body, ec);
  if (ec) fail("the body is not JSON: " + ec.message());
  const auto& request = asObject(doc, "the body");
  std::vector<ReceivedSpan> out;
  const auto& resource_spans = arrayMember(request, "resourceSpans", "request");
  for (std::size_t r = 0; r < resource_spans.size(); ++r) {
    const std::string rw = "resourceSpans[" + std::to_string(r) + "]";
    const auto& rs = asObject(resource_spans[r], rw);
    std::map<std::string, bj::value> resource;
    if (const auto* res = member(rs, "resource")) resource = attributes(asObject(*res, rw + ".resource"), rw);
    const auto& scope_spans = arrayMember(rs, "scopeSpans", rw);
    for (std::size_t s = 0; s < scope_spans.size(); ++s) {
      const std::string sw = rw + ".scopeSpans[" + std::to_string(s) + "]";
      const auto& ss = asObject(scope_spans[s], sw);
      std::string scope_name, scope_version;
      if (const auto* scope = member(ss, "scope")) {
        scope_name = stringMember(asObject(*scope, sw + ".scope"), "name", sw + ".scope");
        scope_version = stringMember(scope->as_object(), "version", sw + ".scope");
      }
      const auto& spans = arrayMember(ss, "spans", sw);
      for (std::size_t i = 0; i < spans.size(); ++i) {
        auto span = decodeSpan(spans[i], sw + ".spans[" + std::to_string(i) + "]");
        span.resource = resource;
        span.scope_name = scope_name;
        span.scope_version = scope_version;
        out.push_back(std::move(span));
      }
    }
  }
  return out;
}

bj::object mapJson(const std::map<std::string, bj::value>& m) {
  bj::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

}  // namespace

core::Result<std::vector<ReceivedSpan>> decodeOtlpTraces(const std::string& body) {
  try {
    return decode(body);
  } catch (const std::exception& e) {
    return core::Error::invalidArgument(e.what());
  }
}

bj::object spanJson(const ReceivedSpan& s) {
  return bj::object{{"name", s.name},
                    {"kind", s.kind},
                    {"traceId", s.trace_id},
                    {"spanId", s.span_id},
                    {"parentSpanId", s.parent_span_id},
                    {"startTimeUnixNano", s.start_unix_nanos},
                    {"endTimeUnixNano", s.end_unix_nanos},
                    {"attributes", mapJson(s.attributes)},
                    {"status", bj::object{{"code", s.status_code}, {"message", s.status_message}}},
                    {"resource", mapJson(s.resource)},
                    {"scope", bj::object{{"name", s.scope_name}, {"version", s.scope_version}}}};
}

class FakeOtlpCollector::Impl {
 public:
  core::Status start(const std::string& host, int port) {
    host_ = host;
    auto router = std::make_shared<http::Router>();
    router->add("POST", "/v1/traces", [this](http::Request& req) { return receive(req); });
    router->add("GET", "/spans", [this](http::Request&) { return listSpans(); });
    router->add("DELETE", "/spans", [this](http::Request&) {
      clear();
      return http::Response::json(200, bj::object{});
    });
    router->add("POST", "/_fake/faults", [this](http::Request& req) { return addFaults(req); });
    router->add("GET", "/_fake/requests", [this](http::Request&) { return listRequests(); });
    http::ServerOptions options;
    options.host = host;
    options.port = port;
    options.io_threads = 1;
    options.blocking_threads = 4;
    options.max_body_bytes = 16 << 20;
    options.shutdown_grace = std::chrono::seconds(2);
    server_ = std::make_unique<http::Server>(options, router);
    return server_->start();
  }

  void stop() {
    if (server_) server_->stop();
  }
  int port() const { return server_ ? server_->port() : 0; }
  const std::string& host() const { return host_; }

  void enqueueFault(FakeOtlpFault fault) {
    std::lock_guard lock(mu_);
    faults_.push_back(std::move(fault));
  }
  std::vector<ReceivedSpan> spans() const {
    std::lock_guard lock(mu_);
    return spans_;
  }
  bool waitForSpans(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mu_);
    return kept_.wait_for(lock, timeout, [&] { return spans_.size() >= n; });
  }
  std::vector<FakeOtlpRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  void clear() {
    std::lock_guard lock(mu_);
    spans_.clear();
    requests_.clear();
  }

 private:
  http::Response receive(http::Request& req) {
    FakeOtlpRequest seen;
    seen.content_type = req.header("Content-Type").value_or("");
    for (const auto& [name, value] : req.headers) {
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
      seen.headers[lower] = value;
    }
    std::optional<FakeOtlpFault> fault;
    {
      std::lock_guard lock(mu_);
      if (!faults_.empty()) {
        fault = std::move(faults_.front());
        faults_.pop_front();
      }
    }
    if (fault && fault->delay.count() > 0) std::this_thread::sleep_for(fault->delay);
    auto decoded = decodeOtlpTraces(req.body);
    http::Response r = http::Response::json(200, bj::object{});
    if (fault && fault->status != 0) {
      r = http::Response::json(fault->status, bj::object{{"code", 14}, {"message", "fake fault"}});
      if (!fault->retry_after.empty()) r.headers.emplace_back("Retry-After", fault->retry_after);
    } else if (!decoded) {
      r = http::Response::json(400, bj::object{{"code", 3}, {"message", decoded.error().message}});
      seen.error = decoded.error().message;
    }
    seen.status = r.status;
    if (decoded) seen.spans = decoded->size();
    std::lock_guard lock(mu_);
    if (r.status == 200) {
      for (auto& s : *decoded) spans_.push_back(std::move(s));
      kept_.notify_all();
    }
    requests_.push_back(std::move(seen));
    return r;
  }

  http::Response listSpans() const {
    bj::array out;
    for (const auto& s : spans()) out.push_back(spanJson(s));
    return http::Response::json(200, bj::object{{"spans", std::move(out)}});
  }

  http::Response listRequests() const {
    bj::array out;
    for (const auto& r : requests()) {
      bj::object headers;
      for (const auto& [k, v] : r.headers) headers[k] = v;
      out.push_back(bj::object{{"content_type", r.content_type},
                               {"headers", std::move(headers)},
                               {"spans", r.spans},
                               {"status", r.status},
                               {"error", r.error}});
    }
    return http::Response::json(200, bj::object{{"requests", std::move(out)}});
  }

  http::Response addFaults(const http::Request& req) {
    boost::system::error_code ec;
    auto doc = bj::parse(req.body, ec);
    const auto* o = ec ? nullptr : doc.if_object();
    if (!o) return http::Response::error(400, "invalid_argument", "a fault is a JSON object");
    FakeOtlpFault fault;
    std::int64_t count = 1;
    try {
      if (const auto* v = o->if_contains("status")) fault.status = int(v->to_number<std::int64_t>());
      if (const auto* v = o->if_contains("retry_after")) fault.retry_after = std::string(v->as_string());
      if (const auto* v = o->if_contains("delay_ms"))
        fault.delay = std::chrono::milliseconds(v->to_number<std::int64_t>());
      if (const auto* v = o->if_contains("count")) count = v->to_number<std::int64_t>();
    } catch (const std::exception& e) {
      return http::Response::error(400, "invalid_argument", std::string("a malformed fault: ") + e.what());
    }
    for (std::int64_t i = 0; i < count; ++i) enqueueFault(fault);
    return http::Response::json(200, bj::object{{"queued", count}});
  }

  std::string host_ = "127.0.0.1";
  std::unique_ptr<http::Server> server_;
  mutable std::mutex mu_;
  mutable std::condition_variable kept_;
  std::deque<FakeOtlpFault> faults_;       // guarded by mu_
  std::vector<ReceivedSpan> spans_;        // guarded by mu_
  std::vector<FakeOtlpRequest> requests_;  // guarded by mu_
};

FakeOtlpCollector::FakeOtlpCollector() : impl_(std::make_unique<Impl>()) {}
FakeOtlpCollector::~FakeOtlpCollector() { stop(); }
core::Status FakeOtlpCollector::start(const std::string& host, int port) { return impl_->start(host, port); }
void FakeOtlpCollector::stop() { impl_->stop(); }
int FakeOtlpCollector::port() const { return impl_->port(); }
std::string FakeOtlpCollector::baseUrl() const { return "http://" + impl_->host() + ":" + std::to_string(port()); }
std::string FakeOtlpCollector::tracesUrl() const { return baseUrl() + "/v1/traces"; }
void FakeOtlpCollector::enqueueFault(FakeOtlpFault fault) { impl_->enqueueFault(std::move(fault)); }
std::vector<ReceivedSpan> FakeOtlpCollector::spans() const { return impl_->spans(); }
bool FakeOtlpCollector::waitForSpans(std::size_t n, std::chrono::milliseconds timeout) const {
  return impl_->waitForSpans(n, timeout);
}
std::vector<FakeOtlpRequest> FakeOtlpCollector::requests() const { return impl_->requests(); }
void FakeOtlpCollector::clear() { impl_->clear(); }

}  // namespace codecrew::testing
