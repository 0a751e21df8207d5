// StreamTickets: how a browser authenticates a live stream. EventSource and
// WebSocket cannot send an Authorization header, so a client with a key asks
// POST /workflows/{id}/stream-tickets for a ticket and opens the stream with
// ?ticket=<ticket>. A ticket is
//  - short-lived: it expires `ttl` (60 s) after it was issued;
//  - single-use: any attempt to redeem it uses it up, right or wrong;
//  - bound to the workflow it was issued for, and to the caller's tenant, key
//    and role (the stream acts as that key, and closes when it is revoked).
// Tickets live in this process's memory only, keyed by the SHA-256 of the
// ticket (the ticket itself is never kept, and never logged). At most
// `max_per_key` unused tickets per key (per tenant in dev mode) and
// `max_total` in all are held: past them issue() is kResourceExhausted.
// Thread-safety: every member may be called from any thread (one mutex).
#pragma once

#include "api/principal.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/result.h"

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace codecrew::api {

class StreamTickets {
 public:
  static constexpr std::chrono::seconds kDefaultTtl{60};
  static constexpr std::size_t kDefaultMaxPerKey = 100;
  static constexpr std::size_t kDefaultMaxTotal = 10'000;

  struct Issued {
    std::string ticket;  // "cst_" followed by 64 hex characters
    std::chrono::seconds expires_in;
  };

  // Expiry is measured on clock's steady time.
  explicit StreamTickets(std::shared_ptr<core::Clock> clock, std::chrono::seconds ttl = kDefaultTtl,
                         std::size_t max_per_key = kDefaultMaxPerKey, std::size_t max_total = kDefaultMaxTotal);

  // A new ticket for principal to open one stream of workflow_id (which the
  // caller has checked is the principal's tenant's).
  core::Result<Issued> issue(const Principal& principal, core::Id workflow_id);

  // Uses ticket up and returns the principal it was issued to, if it was
  // issued for workflow_id and has not expired; otherwise kUnauthenticated
  // with one message for every case (unknown, used, expired, other workflow).
  core::Result<Principal> redeem(std::string_view ticket, core::Id workflow_id);

  // Unused tickets held, expired ones included until the next issue().
  std::size_t size() const;

 private:
  struct Entry {
    Principal principal;
    core::Id workflow_id = 0;
    std::chrono::steady_clock::time_point expires_at;
  };

  static std::string ownerOf(const Principal& p);
  std::size_t heldByLocked(const std::string& owner) const;

  const std::shared_ptr<core::Clock> clock_;
  const std::chrono::seconds ttl_;
  const std::size_t max_per_key_;
  const std::size_t max_total_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> tickets_;  // guarded by mu_: by SHA-256 hex of the ticket
};

}  // namespace codecrew::api
