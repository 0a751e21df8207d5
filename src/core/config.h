// Config: codecrew's settings, read from a TOML file (codecrew.toml, or the
// path given by --config) and then overridden by environment variables.
// With nothing configured the defaults serve 127.0.0.1:8080 with SQLite under
// ./var. Later layers read their own sections (e.g. [providers.*]) from
// `document`, the whole TOML file as JSON after overrides.
// Thread-safety: a plain value; load once at start and share as const.
#pragma once

#include "core/result.h"

#include <boost/json/object.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::core {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;                        // 0 picks a free port
  std::size_t max_body_bytes = 1 << 20;   // requests over this get 413
  int threads = 0;                        // I/O threads; 0 means the core count
  int blocking_threads = 0;               // handler/database pool; 0 means 2x cores
  int shutdown_grace_seconds = 20;        // in-flight requests get this long at SIGTERM
  int auth_cache_seconds = 2;             // authenticated API keys are cached this long, so a
                                          // revoked key works up to this long after; 0: no cache
  std::vector<std::string> cors_origins;  // empty: no CORS headers
  int max_connections = 0;                // connections served at once; 0: the open-file limit
                                          // (RLIMIT_NOFILE) less max(128, a quarter of it)
  int rest_rate_per_minute = 6000;        // REST requests per API key per minute; 0: no limit
  std::string web_dir;                    // the built web UI served at /; parseConfig and
                                          // loadConfig default it to the source tree's web/dist
};

struct StorageConfig {
  std::string data_dir = "./var";
  std::string database_url;  // empty: sqlite file <data_dir>/codecrew.db
  int max_connections = 10;  // PostgreSQL: the ceiling of one process's pool
};

struct LogConfig {
  std::string level = "info";   // trace|debug|info|warn|error
  std::string format = "json";  // json|text
  std::string file;             // empty: standard error
};

struct QueueConfig {
  int heartbeat_interval_seconds = 15;
  int heartbeat_timeout_seconds = 120;
};

// GET /metrics: who may read it.
struct MetricsConfig {
  bool public_endpoint = false;  // true: /metrics on the API's address needs no key (else an admin key)
  // "host:port" of a listener of its own serving /metrics, /healthz and
  // /readyz without keys (a worker's only HTTP); "" for none.
  std::string listen;
};

struct Config {
  ServerConfig server;
  MetricsConfig metrics;
  StorageConfig storage;
  LogConfig log;
  QueueConfig queue;
  bool dev = false;              // set by `serve --dev`, never by a file
  bool redact_secrets = true;    // AI_TEAM_REDACT_SENSITIVE=0 turns redaction off
  std::string config_path;       // the file that was read, if any
  boost::json::object document;  // the whole file as JSON, for other layers' sections

  // Path of the SQLite file when database_url is empty or a sqlite URL:
  // sqlite:///rel.db is relative to the working directory and
  // sqlite:////abs.db absolute, as in SQLAlchemy.
  std::string sqlitePath() const;
  // Whether DATABASE_URL names PostgreSQL (postgres:// or postgresql://).
  bool usesPostgres() const;
};

using EnvMap = std::map<std::string, std::string>;

// The process environment as an EnvMap.
EnvMap processEnv();

// Reads `path` (if given; a missing file is an error) or ./codecrew.toml if it
// exists, applies the environment overrides and validates. Errors name the
// key and the problem; an unknown table or key is an error that names it and
// the nearest known one (core/config_schema.h lists them all).
Result<Config> loadConfig(const std::optional<std::string>& path, const EnvMap& env);

// The same from TOML text (for tests).
Result<Config> parseConfig(std::string_view toml_text, const EnvMap& env);

}  // namespace codecrew::core
