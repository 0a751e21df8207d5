#include "core/log.h"

#include "core/clock.h"
#include "core/json_text.h"
#include "core/time_format.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <shared_mutex>
#include <vector>

namespace codecrew::core::log {
namespace {

struct State {
  std::shared_mutex mu;
  std::shared_ptr<spdlog::logger> logger;
  bool json = true;
  std::atomic<int> level{int(Level::kInfo)};
  std::vector<std::string> secrets;
};

State& state() {
  static State s;
  return s;
}

thread_local std::string tl_request_id;

const char* levelName(Level l) {
  switch (l) {
    case Level::kTrace: return "trace";
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

Level parseLevel(const std::string& s) {
  if (s == "trace") return Level::kTrace;
  if (s == "debug") return Level::kDebug;
  if (s == "warn") return Level::kWarn;
  if (s == "error") return Level::kError;
  return Level::kInfo;
}

void redact(std::string& line, const std::vector<std::string>& secrets) {
  for (const auto& s : secrets) {
    for (size_t pos = line.find(s); pos != std::string::npos; pos = line.find(s, pos))
      line.replace(pos, s.size(), "[REDACTED]");
  }
}

std::shared_ptr<spdlog::logger> makeLogger(const LogConfig& c) {
  std::shared_ptr<spdlog::logger> lg;
  if (c.file.empty()) {
    lg = std::make_shared<spdlog::logger>("codecrew", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  } else {
    lg = std::make_shared<spdlog::logger>("codecrew", std::make_shared<spdlog::sinks::basic_file_sink_mt>(c.file));
  }
  lg->set_pattern("%v");
  lg->set_level(spdlog::level::trace);
  lg->flush_on(spdlog::level::warn);
  return lg;
}

}  // namespace

void init(const LogConfig& config) {
  auto& s = state();
  std::unique_lock lock(s.mu);
  s.logger = makeLogger(config);
  s.json = config.format != "text";
  s.level = int(parseLevel(config.level));
}

bool enabled(Level level) { return int(level) >= state().level.load(); }

void write(Level level, std::string_view msg, const boost::json::object& fields) {
  auto& s = state();
  if (!enabled(level)) return;
  std::string line;
  auto ts = formatIso8601(SystemClock().nowMillis());
  if (s.json) {
    boost::json::object o;
    o["ts"] = ts;
    o["level"] = levelName(level);
    o["msg"] = msg;
    if (!tl_request_id.empty()) o["request_id"] = tl_request_id;
    for (const auto& kv : fields) o[kv.key()] = kv.value();
    line = jsonText(o);
  } else {
    line = ts + " " + levelName(level) + " ";
    if (!tl_request_id.empty()) line += "[" + tl_request_id + "] ";
    line += msg;
    for (const auto& kv : fields) {
      line += " ";
      line += kv.key();
      line += "=";
      line += kv.value().is_string() ? std::string(kv.value().as_string()) : jsonText(kv.value());
    }
  }
  std::shared_lock lock(s.mu);
  redact(line, s.secrets);
  if (!s.logger) {
    lock.unlock();
    init(LogConfig{});
    lock.lock();
  }
  s.logger->info(line);
}

void registerSecret(std::string secret) {
  if (secret.size() < 8) return;
  auto& s = state();
  std::unique_lock lock(s.mu);
  for (const auto& existing : s.secrets)
    if (existing == secret) return;
  s.secrets.push_back(std::move(secret));
}

RequestScope::RequestScope(std::string request_id) : previous_(std::move(tl_request_id)) {
  tl_request_id = std::move(request_id);
}

RequestScope::~RequestScope() { tl_request_id = std::move(previous_); }

const std::string& currentRequestId() { return tl_request_id; }

void flush() {
  auto& s = state();
  std::shared_lock lock(s.mu);
  if (s.logger) s.logger->flush();
}

}  // namespace codecrew::core::log
