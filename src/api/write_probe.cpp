#include "api/write_probe.h"

#include <filesystem>

#include <sys/statvfs.h>

namespace codecrew::api {

WriteProbe::WriteProbe(std::shared_ptr<store::Store> store, std::shared_ptr<core::Clock> clock, std::string data_dir,
                       core::Millis ttl)
    : store_(std::move(store)), clock_(std::move(clock)), data_dir_(std::move(data_dir)), ttl_(ttl) {}

WriteReading WriteProbe::read() {
  std::lock_guard lock(mu_);
  const core::Millis now = clock_->nowMillis();
  if (!last_ || now - read_at_ >= ttl_ || now < read_at_) {
    last_ = probe();
    read_at_ = now;
  }
  return *last_;
}

WriteReading WriteProbe::probe() {
  WriteReading reading;
  if (!data_dir_.empty()) {
    struct statvfs fs {};
    if (::statvfs(data_dir_.c_str(), &fs) == 0) {
      reading.free_bytes = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
      if (*reading.free_bytes < kMinFreeBytes) {
        reading.error = "the database's disk is full (" + std::to_string(*reading.free_bytes) + " bytes free)";
        return reading;
      }
    }
  }
  if (auto st = store_->probeWrite(); !st) {
    reading.error = "the database cannot be written: " + st.error().message;
    return reading;
  }
  reading.writable = true;
  return reading;
}

std::string probeDirectory(const core::Config* config) {
  if (!config || config->usesPostgres()) return "";
  auto dir = std::filesystem::path(config->sqlitePath()).parent_path();
  return dir.empty() ? "." : dir.string();
}

}  // namespace codecrew::api
