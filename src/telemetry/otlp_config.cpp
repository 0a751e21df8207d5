#include "telemetry/otlp_config.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string_view>

namespace codecrew::telemetry {
namespace {

using core::Error;

constexpr std::string_view kTracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
constexpr std::string_view kEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

// A variable's value when set and not empty (the specification treats an
// empty value as unset).
std::optional<std::string> get(const core::EnvMap& env, std::string_view name) {
  auto it = env.find(std::string(name));
  if (it == env.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

// The traces-specific variable, else the general one; `name` is set to the
// one read.
std::optional<std::string> getEither(const core::EnvMap& env, const std::string& traces_name,
                                     const std::string& general_name, std::string& name) {
  if (auto v = get(env, traces_name)) {
    name = traces_name;
    return v;
  }
  name = general_name;
  return get(env, general_name);
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

Error malformed(std::string_view name, std::string_view value, std::string_view why) {
  return Error::invalidArgument(std::string(name) + "='" + std::string(value) + "': " + std::string(why));
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = hexDigit(s[i + 1]), lo = hexDigit(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += char(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// A comma-separated list of key=value (keys trimmed, values trimmed and
// URL-decoded; empty items skipped). `secret`: the values may be
// credentials, so an error names the item's position, not its text.
core::Result<std::vector<std::pair<std::string, std::string>>> parsePairs(std::string_view name, std::string_view value,
                                                                          bool secret) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0, index = 0;
  while (start <= value.size()) {
    std::size_t comma = value.find(',', start);
    if (comma == std::string_view::npos) comma = value.size();
    const std::string item = trim(value.substr(start, comma - start));
    start = comma + 1;
    if (item.empty()) continue;
    ++index;
    auto fail = [&](std::string_view why) {
      if (!secret) return malformed(name, value, "'" + item + "' " + std::string(why));
      return Error::invalidArgument(std::string(name) + ": item " + std::to_string(index) + " " + std::string(why) +
                                    " (its text is not shown: headers may carry credentials)");
    };
    const auto eq = item.find('=');
    if (eq == std::string::npos) return fail("is not key=value");
    std::string key = trim(std::string_view(item).substr(0, eq));
    if (key.empty()) return fail("has an empty key");
    auto decoded = percentDecode(trim(std::string_view(item).substr(eq + 1)));
    if (!decoded) return fail("has a malformed %-escape in its value");
    out.emplace_back(std::move(key), std::move(*decoded));
  }
  return out;
}

// A whole decimal number in [min, max].
core::Result<long long> parseInteger(std::string_view name, const std::string& value, long long min, long long max) {
  const std::string t = trim(value);
  const bool digits = !t.empty() && t.size() <= 12 &&
                      std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
  const long long n = digits ? std::stoll(t) : -1;
  if (!digits || n < min || n > max)
    return malformed(name, value, "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  return n;
}

core::Status readMillis(const core::EnvMap& env, std::string_view name, std::chrono::milliseconds& out) {
  auto v = get(env, name);
  if (!v) return {};
  auto n = parseInteger(name, *v, 1, 3'600'000);  // an hour at most
  if (!n) return n.error();
  out = std::chrono::milliseconds(*n);
  return {};
}

core::Status readCount(const core::EnvMap& env, std::string_view name, std::size_t& out) {
  auto v = get(env, name);
  if (!v) return {};
  auto n = parseInteger(name, *v, 1, 1'000'000);
  if (!n) return n.error();
  out = std::size_t(*n);
  return {};
}

// An http:// or https:// URL with a host (and a valid port, if any).
core::Status checkUrl(std::string_view name, const std::string& url) {
  const std::string l = lower(url);
  std::size_t rest = 0;
  if (l.rfind("http://", 0) == 0) {
    rest = 7;
  } else if (l.rfind("https://", 0) == 0) {
    rest = 8;
  } else {
    return malformed(name, url, "expected an http:// or https:// URL (OTLP/HTTP)");
  }
  if (std::any_of(url.begin(), url.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; }))
    return malformed(name, url, "a URL has no spaces or control characters");
  std::string_view authority(url);
  authority = authority.substr(rest, authority.find_first_of("/?#", rest) - rest);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host = authority, port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return malformed(name, url, "an IPv6 host has no closing ']'");
    host = authority.substr(0, close + 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return malformed(name, url, "unexpected text after the IPv6 host");
      port = authority.substr(close + 2);
    }
  } else if (auto colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty() || host == "[]") return malformed(name, url, "the URL has no host");
  if (!port.empty() || authority.find(':') != std::string_view::npos) {
    const bool digits = !port.empty() && port.size() <= 5 &&
                        std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
    if (!digits || std::stoi(std::string(port)) < 1 || std::stoi(std::string(port)) > 65535)
      return malformed(name, url, "the port must be a number from 1 to 65535");
  }
  return {};
}

core::Result<std::string> resolveEndpoint(const core::EnvMap& env) {
  if (auto full = get(env, kTracesEndpoint)) {
    const std::string url = trim(*full);
    if (auto ok = checkUrl(kTracesEndpoint, url); !ok) return ok.error();
    return url;
  }
  auto base = get(env, kEndpoint);
  if (!base) return std::string();
  std::string url = trim(*base);
  if (auto ok = checkUrl(kEndpoint, url); !ok) return ok.error();
  if (url.find_first_of("?#", url.find("//") + 2) != std::string::npos)
    return malformed(kEndpoint, url, "a base URL has no query or fragment (/v1/traces is appended to it)");
  url += url.back() == '/' ? "v1/traces" : "/v1/traces";
  return url;
}

core::Status readProtocol(const core::EnvMap& env) {
  std::string name;
  auto v = getEither(env, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL", name);
  if (!v) return {};
  const std::string p = trim(*v);
  if (p == "http/json") return {};
  if (p == "http/protobuf" || p == "grpc")
    return malformed(name, *v,
                     "codecrew sends OTLP as http/json only, which the OpenTelemetry Collector, Jaeger, Tempo and "
                     "others accept on their OTLP/HTTP port (4318); set it to http/json or leave it unset");
  return malformed(name, *v, "expected http/json (or http/protobuf or grpc, which codecrew does not send)");
}

core::Result<Sampler> readSampler(const core::EnvMap& env) {
  Sampler s;  // parentbased_always_on
  const auto name = get(env, "OTEL_TRACES_SAMPLER");
  if (!name) return s;
  const std::string n = lower(trim(*name));
  bool ratio = false;
  if (n == "always_on") {
    s = {Sampler::Root::kAlwaysOn, 1.0, false};
  } else if (n == "always_off") {
    s = {Sampler::Root::kAlwaysOff, 1.0, false};
  } else if (n == "traceidratio") {
    s = {Sampler::Root::kRatio, 1.0, false};
    ratio = true;
  } else if (n == "parentbased_always_on") {
    s = {Sampler::Root::kAlwaysOn, 1.0, true};
  } else if (n == "parentbased_always_off") {
    s = {Sampler::Root::kAlwaysOff, 1.0, true};
  } else if (n == "parentbased_traceidratio") {
    s = {Sampler::Root::kRatio, 1.0, true};
    ratio = true;
  } else {
    return malformed("OTEL_TRACES_SAMPLER", *name,
                     "expected always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off "
                     "or parentbased_traceidratio");
  }
  if (!ratio) return s;
  const auto arg = get(env, "OTEL_TRACES_SAMPLER_ARG");
  if (!arg) return s;
  const std::string t = trim(*arg);
  char* end = nullptr;
  errno = 0;
  const double r = t.empty() ? NAN : std::strtod(t.c_str(), &end);
  if (t.empty() || errno != 0 || end != t.c_str() + t.size() || !std::isfinite(r) || r < 0 || r > 1)
    return malformed("OTEL_TRACES_SAMPLER_ARG", *arg, "expected a ratio from 0 to 1");
  s.ratio = r;
  return s;
}

std::string hostName() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0) return "";
  return host;
}

void put(Attributes& attrs, const std::string& key, std::string value) {
  for (auto& [k, v] : attrs) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  attrs.emplace_back(key, std::move(value));
}

core::Result<Attributes> readResource(const core::EnvMap& env, const std::string& service_version,
                                      const std::string& instance_id) {
  Attributes resource;
  put(resource, "service.name", "codecrew");
  if (!service_version.empty()) put(resource, "service.version", service_version);
  if (!instance_id.empty()) put(resource, "service.instance.id", instance_id);
  if (auto host = hostName(); !host.empty()) put(resource, "host.name", host);
  if (auto attrs = get(env, "OTEL_RESOURCE_ATTRIBUTES")) {
    auto pairs = parsePairs("OTEL_RESOURCE_ATTRIBUTES", *attrs, false);
    if (!pairs) return pairs.error();
    for (auto& [k, v] : *pairs)
      if (k.rfind("telemetry.sdk.", 0) != 0) put(resource, k, std::move(v));
  }
  if (auto service = get(env, "OTEL_SERVICE_NAME")) put(resource, "service.name", trim(*service));
  put(resource, "telemetry.sdk.name", "codecrew");
  put(resource, "telemetry.sdk.language", "cpp");
  if (!service_version.empty()) put(resource, "telemetry.sdk.version", service_version);
  return resource;
}

// Whether the environment turns tracing off whatever the endpoint says.
core::Result<bool> switchedOff(const core::EnvMap& env) {
  if (auto disabled = get(env, "OTEL_SDK_DISABLED")) {
    const std::string d = lower(trim(*disabled));
    if (d == "true") return true;
    if (d != "false") return malformed("OTEL_SDK_DISABLED", *disabled, "expected true or false");
  }
  if (auto exporter = get(env, "OTEL_TRACES_EXPORTER")) {
    const std::string e = lower(trim(*exporter));
    if (e == "none") return true;
    if (e != "otlp")
      return malformed("OTEL_TRACES_EXPORTER", *exporter, "codecrew exports traces with otlp (or none: no export)");
  }
  return false;
}

}  // namespace

core::Result<OtlpConfig> loadOtlpConfig(const core::EnvMap& env, const std::string& service_version,
                                        const std::string& instance_id) {
  OtlpConfig config;
  config.service_version = service_version;
  auto off = switchedOff(env);
  if (!off) return off.error();
  if (*off) return config;
  auto endpoint = resolveEndpoint(env);
  if (!endpoint) return endpoint.error();
  if (endpoint->empty()) return config;
  config.endpoint = std::move(*endpoint);

  if (auto ok = readProtocol(env); !ok) return ok.error();
  std::string name;
  if (auto headers = getEither(env, "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_EXPORTER_OTLP_HEADERS", name)) {
    auto pairs = parsePairs(name, *headers, true);
    if (!pairs) return pairs.error();
    config.headers = std::move(*pairs);
  }
  getEither(env, "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "OTEL_EXPORTER_OTLP_TIMEOUT", name);
  if (auto ok = readMillis(env, name, config.timeout); !ok) return ok.error();
  auto sampler = readSampler(env);
  if (!sampler) return sampler.error();
  config.sampler = *sampler;
  auto resource = readResource(env, service_version, instance_id);
  if (!resource) return resource.error();
  config.resource = std::move(*resource);

  BatchOptions& b = config.batch;
  if (auto ok = readMillis(env, "OTEL_BSP_SCHEDULE_DELAY", b.schedule_delay); !ok) return ok.error();
  if (auto ok = readMillis(env, "OTEL_BSP_EXPORT_TIMEOUT", b.export_timeout); !ok) return ok.error();
  if (auto ok = readCount(env, "OTEL_BSP_MAX_QUEUE_SIZE", b.max_queue_size); !ok) return ok.error();
  if (auto ok = readCount(env, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", b.max_export_batch_size); !ok) return ok.error();
  if (b.max_export_batch_size > b.max_queue_size && !get(env, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE"))
    b.max_export_batch_size = b.max_queue_size;  // the default batch shrinks to a small queue
  if (b.max_export_batch_size > b.max_queue_size)
    return Error::invalidArgument("OTEL_BSP_MAX_EXPORT_BATCH_SIZE='" + std::to_string(b.max_export_batch_size) +
                                  "' is more than OTEL_BSP_MAX_QUEUE_SIZE='" + std::to_string(b.max_queue_size) +
                                  "': a batch is taken from the queue");
  config.enabled = true;
  return config;
}

}  // namespace codecrew::telemetry
