// WriteProbe: whether the database can be written now, for /health's
// readiness. A reading is a tiny write transaction (Store::probeWrite) plus,
// when the database is a file, the free space of its directory (under
// kMinFreeBytes counts as full: SQLite may still write into pages it has,
// while anything that grows the file fails). Readings are cached for `ttl`,
// so health checks cost at most one write a ttl, however often they come.
// Thread-safety: read() from any thread; one caller probes, the others wait
// for its reading.
#pragma once

#include "core/clock.h"
#include "core/config.h"
#include "store/store.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace codecrew::api {

inline constexpr std::uint64_t kMinFreeBytes = 1 << 20;

struct WriteReading {
  bool writable = false;
  std::string error;                        // why not, when not
  std::optional<std::uint64_t> free_bytes;  // of the database's directory, when it is a file
};

// The directory whose free space a probe watches: the SQLite file's ("" for
// PostgreSQL, or without a configuration).
std::string probeDirectory(const core::Config* config);

class WriteProbe {
 public:
  // data_dir: the directory of the database file ("" for a server database).
  WriteProbe(std::shared_ptr<store::Store> store, std::shared_ptr<core::Clock> clock, std::string data_dir,
             core::Millis ttl = 1000);

  WriteReading read();

 private:
  WriteReading probe();

  std::shared_ptr<store::Store> store_;
  std::shared_ptr<core::Clock> clock_;
  std::string data_dir_;
  core::Millis ttl_;
  std::mutex mu_;
  std::optional<WriteReading> last_;  // guarded by mu_
  core::Millis read_at_ = 0;          // guarded by mu_
};

}  // namespace codecrew::api
