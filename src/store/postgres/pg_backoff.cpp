#include "store/postgres/pg_backoff.h"

#include <algorithm>

namespace codecrew::store::postgres {

PgConnectParams::PgConnectParams(const std::string& url, const std::string& application_name,
                                 std::chrono::seconds connect_timeout)
    : pairs_{{"connect_timeout", std::to_string(std::max<std::int64_t>(1, connect_timeout.count()))},
             {"keepalives", "1"},
             {"keepalives_idle", "30"},
             {"keepalives_interval", "10"},
             {"keepalives_count", "3"},
             {"dbname", url}} {
  if (!application_name.empty()) pairs_.emplace_back("application_name", application_name);
  for (const auto& [k, v] : pairs_) {
    keywords_.push_back(k.c_str());
    values_.push_back(v.c_str());
  }
  keywords_.push_back(nullptr);
  values_.push_back(nullptr);
}

std::string pgMessageLine(const char* message) {
  std::string line;
  for (const char* c = message ? message : ""; *c; ++c) {
    if (*c != '\n' && *c != '\t' && *c != ' ') {
      line += *c;
    } else if (!line.empty() && line.back() != ' ') {
      line += ' ';
    }
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

ReconnectBackoff::ReconnectBackoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, std::uint64_t seed)
    : initial_(std::max(initial, std::chrono::milliseconds(1))),
      max_(std::max(max, initial_)),
      random_(static_cast<std::minstd_rand::result_type>(seed ? seed : std::random_device{}())) {}

std::chrono::milliseconds ReconnectBackoff::next() {
  auto wait = initial_;
  for (int i = 0; i < failures_ && wait < max_; ++i) wait *= 2;
  wait = std::min(wait, max_);
  if (failures_ < 64) ++failures_;
  std::uniform_real_distribution<double> factor(0.5, 1.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(wait.count()) * factor(random_)));
}

}  // namespace codecrew::store::postgres
