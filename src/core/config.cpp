#include "core/config.h"

#include "core/build_paths.h"
#include "core/config_schema.h"

#include <toml++/toml.h>
#include <boost/json/parse.hpp>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;

namespace codecrew::core {
namespace {

Result<int> toInt(const std::string& key, const std::string& text, int lo, int hi) {
  int v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < lo || v > hi)
    return Error::invalidArgument(key + " must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                                  "], got '" + text + "'");
  return v;
}

template <typename T>
Status readInt(const toml::table& t, const char* section, const char* key, T& out, long lo, long hi) {
  auto node = t[section][key];
  if (!node) return okStatus();
  auto v = node.value<int64_t>();
  std::string name = std::string(section) + "." + key;
  if (!v || *v < lo || *v > hi)
    return Error::invalidArgument("config " + name + " must be an integer in [" + std::to_string(lo) + ", " +
                                  std::to_string(hi) + "]");
  out = static_cast<T>(*v);
  return okStatus();
}

Status readString(const toml::table& t, const char* section, const char* key, std::string& out) {
  auto node = t[section][key];
  if (!node) return okStatus();
  auto v = node.value<std::string>();
  if (!v) return Error::invalidArgument(std::string("config ") + section + "." + key + " must be a string");
  out = *v;
  return okStatus();
}

Status applyFile(const toml::table& t, Config& c) {
  Status st;
  if (!(st = readString(t, "server", "host", c.server.host))) return st;
  if (!(st = readInt(t, "server", "port", c.server.port, 0, 65535))) return st;
  if (!(st = readInt(t, "server", "max_body_bytes", c.server.max_body_bytes, 1024, 1L << 30))) return st;
  if (!(st = readInt(t, "server", "threads", c.server.threads, 0, 256))) return st;
  if (!(st = readInt(t, "server", "blocking_threads", c.server.blocking_threads, 0, 1024))) return st;
  if (!(st = readInt(t, "server", "shutdown_grace_seconds", c.server.shutdown_grace_seconds, 0, 3600))) return st;
  if (!(st = readInt(t, "server", "auth_cache_seconds", c.server.auth_cache_seconds, 0, 300))) return st;
  if (!(st = readString(t, "server", "web_dir", c.server.web_dir))) return st;
  if (!(st = readInt(t, "server", "max_connections", c.server.max_connections, 0, 10'000'000))) return st;
  if (!(st = readInt(t, "server", "rest_rate_per_minute", c.server.rest_rate_per_minute, 0, 1'000'000))) return st;
  if (auto arr = t["server"]["cors_origins"].as_array()) {
    for (auto& el : *arr) {
      auto s = el.value<std::string>();
      if (!s) return Error::invalidArgument("config server.cors_origins must be strings");
      c.server.cors_origins.push_back(*s);
    }
  }
  if (!(st = readString(t, "storage", "data_dir", c.storage.data_dir))) return st;
  if (!(st = readString(t, "storage", "database_url", c.storage.database_url))) return st;
  if (!(st = readInt(t, "storage", "max_connections", c.storage.max_connections, 1, 1000))) return st;
  if (!(st = readString(t, "log", "level", c.log.level))) return st;
  if (!(st = readString(t, "log", "format", c.log.format))) return st;
  if (!(st = readString(t, "log", "file", c.log.file))) return st;
  if (!(st = readInt(t, "queue", "heartbeat_interval_seconds", c.queue.heartbeat_interval_seconds, 1, 3600))) return st;
  if (!(st = readInt(t, "queue", "heartbeat_timeout_seconds", c.queue.heartbeat_timeout_seconds, 1, 86400))) return st;
  if (auto r = t["security"]["redact_secrets"].value<bool>()) c.redact_secrets = *r;
  if (auto r = t["metrics"]["public"].value<bool>()) c.metrics.public_endpoint = *r;
  if (!(st = readString(t, "metrics", "listen", c.metrics.listen))) return st;
  return okStatus();
}

Status applyEnv(const EnvMap& env, Config& c) {
  auto get = [&](const char* k) -> const std::string* {
    auto it = env.find(k);
    return it == env.end() || it->second.empty() ? nullptr : &it->second;
  };
  if (auto v = get("CODECREW_HOST")) c.server.host = *v;
  if (auto v = get("CODECREW_PORT")) {
    auto r = toInt("CODECREW_PORT", *v, 0, 65535);
    if (!r) return r.error();
    c.server.port = *r;
  }
  if (auto v = get("CODECREW_DATA_DIR")) c.storage.data_dir = *v;
  if (auto v = get("CODECREW_WEB_DIR")) c.server.web_dir = *v;
  if (auto v = get("DATABASE_URL")) c.storage.database_url = *v;
  if (auto v = get("DATABASE_MAX_CONNECTIONS")) {
    auto r = toInt("DATABASE_MAX_CONNECTIONS", *v, 1, 1000);
    if (!r) return r.error();
    c.storage.max_connections = *r;
  }
  if (auto v = get("CODECREW_LOG_LEVEL")) c.log.level = *v;
  if (auto v = get("CODECREW_LOG_FORMAT")) c.log.format = *v;
  if (auto v = get("HEARTBEAT_INTERVAL_SECONDS")) {
    auto r = toInt("HEARTBEAT_INTERVAL_SECONDS", *v, 1, 3600);
    if (!r) return r.error();
    c.queue.heartbeat_interval_seconds = *r;
  }
  if (auto v = get("HEARTBEAT_TIMEOUT_SECONDS")) {
    auto r = toInt("HEARTBEAT_TIMEOUT_SECONDS", *v, 1, 86400);
    if (!r) return r.error();
    c.queue.heartbeat_timeout_seconds = *r;
  }
  if (auto v = get("AI_TEAM_REDACT_SENSITIVE")) c.redact_secrets = *v != "0";
  if (auto v = get("CODECREW_METRICS_PUBLIC")) {
    if (*v != "true" && *v != "false" && *v != "1" && *v != "0")
      return Error::invalidArgument("CODECREW_METRICS_PUBLIC must be true or false, got '" + *v + "'");
    c.metrics.public_endpoint = *v == "true" || *v == "1";
  }
  if (auto v = get("CODECREW_METRICS_LISTEN")) c.metrics.listen = *v;
  return okStatus();
}

Status validate(const Config& c) {
  static const char* kLevels[] = {"trace", "debug", "info", "warn", "error"};
  bool levelOk = false;
  for (auto* l : kLevels) levelOk |= c.log.level == l;
  if (!levelOk)
    return Error::invalidArgument("log.level must be one of trace|debug|info|warn|error, got '" + c.log.level + "'");
  if (c.log.format != "json" && c.log.format != "text")
    return Error::invalidArgument("log.format must be json or text, got '" + c.log.format + "'");
  if (c.server.host.empty()) return Error::invalidArgument("server.host must not be empty");
  const auto& url = c.storage.database_url;
  if (!url.empty() && url.rfind("sqlite://", 0) != 0 && url.rfind("postgresql://", 0) != 0 &&
      url.rfind("postgres://", 0) != 0)
    return Error::invalidArgument("DATABASE_URL must start with sqlite:// or postgresql://");
  return okStatus();
}

Result<Config> build(const toml::table& table, const EnvMap& env) {
  Config c;
  c.server.web_dir = kDefaultWebDir;
  if (auto st = applyFile(table, c); !st) return st.error();
  std::ostringstream js;
  js << toml::json_formatter{table};
  boost::system::error_code ec;
  auto doc = boost::json::parse(js.str(), ec);
  if (!ec && doc.is_object()) c.document = std::move(doc.as_object());
  if (auto st = checkKnownKeys(c.document); !st) return st.error();
  if (auto st = applyEnv(env, c); !st) return st.error();
  if (auto st = validate(c); !st) return st.error();
  return c;
}

}  // namespace

bool Config::usesPostgres() const {
  const auto& url = storage.database_url;
  return url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0;
}

std::string Config::sqlitePath() const {
  // As SQLAlchemy reads them: sqlite:///relative.db, sqlite:////absolute.db.
  const std::string prefix = "sqlite:///";
  if (storage.database_url.rfind(prefix, 0) == 0) return storage.database_url.substr(prefix.size());
  if (storage.database_url.rfind("sqlite://", 0) == 0) return storage.database_url.substr(9);
  return (std::filesystem::path(storage.data_dir) / "codecrew.db").string();
}

EnvMap processEnv() {
  EnvMap env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

Result<Config> parseConfig(std::string_view text, const EnvMap& env) {
  try {
    auto table = toml::parse(text);
    return build(table, env);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << "invalid TOML at line " << e.source().begin.line << ", column " << e.source().begin.column << ": "
        << e.description();
    return Error::invalidArgument(msg.str());
  }
}

Result<Config> loadConfig(const std::optional<std::string>& path, const EnvMap& env) {
  std::string file;
  if (path) {
    if (!std::filesystem::exists(*path)) return Error::invalidArgument("config file not found: " + *path);
    file = *path;
  } else if (std::filesystem::exists("codecrew.toml")) {
    file = "codecrew.toml";
  }
  std::string text;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return Error::invalidArgument("cannot read config file " + file);
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  auto r = parseConfig(text, env);
  if (!r) {
    auto err = std::move(r).error();
    if (!file.empty()) err.message = file + ": " + err.message;
    return err;
  }
  r->config_path = file;
  return r;
}

}  // namespace codecrew::core
