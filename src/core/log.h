// Structured logging: one JSON object per line (or readable text), with the
// current request id on every line written while a RequestScope is alive on
// the thread. Registered secrets are replaced by "[REDACTED]" in every line.
// Thread-safety: every function may be called from any thread after init().
#pragma once

#include "core/config.h"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace codecrew::core::log {

enum class Level { kTrace, kDebug, kInfo, kWarn, kError };

// Configures level, format and destination. Safe to call again (tests).
void init(const LogConfig& config);

void write(Level level, std::string_view msg, const boost::json::object& fields = {});
inline void trace(std::string_view m, const boost::json::object& f = {}) { write(Level::kTrace, m, f); }
inline void debug(std::string_view m, const boost::json::object& f = {}) { write(Level::kDebug, m, f); }
inline void info(std::string_view m, const boost::json::object& f = {}) { write(Level::kInfo, m, f); }
inline void warn(std::string_view m, const boost::json::object& f = {}) { write(Level::kWarn, m, f); }
inline void error(std::string_view m, const boost::json::object& f = {}) { write(Level::kError, m, f); }

bool enabled(Level level);

// Any later line containing `secret` (at least 8 characters) shows
// "[REDACTED]" in its place.
void registerSecret(std::string secret);

// Sets the request id reported on this thread's lines until destroyed.
class RequestScope {
 public:
  explicit RequestScope(std::string request_id);
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  std::string previous_;
};

// The request id of the current thread's RequestScope, or "".
const std::string& currentRequestId();

// Flushes buffered lines (call before exit).
void flush();

}  // namespace codecrew::core::log
