// KeyCache: the API keys that authenticated recently, so the hot path
// (every /v1 model call) skips the store's lookup of the key. Entries are
// keyed by the SHA-256 hex of the secret (never the secret) and hold the
// Principal and the key's last_used_at as the store last had it.
//
// Only valid, unrevoked keys go in: a failed lookup is never cached, so a key
// created a moment ago by `codecrew keys create` works at once, and unknown
// keys cost no memory. An entry is served for `ttl` after it was put in and
// not after; since revocation (`codecrew keys revoke`, another process)
// reaches this process only through the store, a revoked key keeps
// authenticating for up to `ttl` after the revocation. A ttl of zero turns
// the cache off (find never hits, insert keeps nothing). At most
// `max_entries` are held: a new key inserted into a full cache first drops
// the expired entries and, if the cache is still full, all of them.
// Thread-safety: every member may be called from any thread (one mutex).
#pragma once

#include "api/principal.h"
#include "core/clock.h"

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace codecrew::api {

class KeyCache {
 public:
  static constexpr std::chrono::milliseconds kDefaultTtl{2'000};
  static constexpr std::size_t kDefaultMaxEntries = 10'000;

  // What a hit gives back.
  struct Hit {
    Principal principal;
    std::optional<core::Millis> last_used_at;  // wall-clock, as stored or last touched
  };

  // Expiry is measured on clock's steady time.
  KeyCache(std::shared_ptr<core::Clock> clock, std::chrono::milliseconds ttl = kDefaultTtl,
           std::size_t max_entries = kDefaultMaxEntries);

  // The entry for key_hash if it was inserted less than ttl ago.
  std::optional<Hit> find(const std::string& key_hash) const;

  // Caches a valid, unrevoked key for ttl (replacing any entry for key_hash).
  void insert(const std::string& key_hash, const Principal& principal, std::optional<core::Millis> last_used_at);

  // Entries held, expired ones included (for tests and metrics).
  std::size_t size() const;
  std::chrono::milliseconds ttl() const { return ttl_; }

 private:
  struct Entry {
    Hit hit;
    std::chrono::steady_clock::time_point expires_at;
  };
  using Map = std::unordered_map<std::string, Entry>;

  void makeRoomLocked(std::chrono::steady_clock::time_point now);

  const std::shared_ptr<core::Clock> clock_;
  const std::chrono::milliseconds ttl_;
  const std::size_t max_entries_;
  mutable std::mutex mu_;
  Map entries_;  // GUARDED_BY(mu_)
};

}  // namespace codecrew::api
