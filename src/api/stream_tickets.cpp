#include "api/stream_tickets.h"

#include "core/crypto.h"

#include <algorithm>

namespace codecrew::api {
namespace {

constexpr std::string_view kTicketPrefix = "cst_";
constexpr std::size_t kTicketBytes = 32;

core::Error refused() { return core::Error::unauthenticated("invalid, used or expired stream ticket"); }

}  // namespace

StreamTickets::StreamTickets(std::shared_ptr<core::Clock> clock, std::chrono::seconds ttl, std::size_t max_per_key,
                             std::size_t max_total)
    : clock_(std::move(clock)),
      ttl_(std::max(ttl, std::chrono::seconds(1))),
      max_per_key_(std::max<std::size_t>(max_per_key, 1)),
      max_total_(std::max<std::size_t>(max_total, 1)) {}

std::string StreamTickets::ownerOf(const Principal& p) {
  return p.key_hash.empty() ? "tenant:" + std::to_string(p.tenant_id) : p.key_hash;
}

std::size_t StreamTickets::heldByLocked(const std::string& owner) const {
  return static_cast<std::size_t>(std::count_if(tickets_.begin(), tickets_.end(),
                                                [&](const auto& t) { return ownerOf(t.second.principal) == owner; }));
}

core::Result<StreamTickets::Issued> StreamTickets::issue(const Principal& principal, core::Id workflow_id) {
  auto now = clock_->steadyNow();
  std::string ticket = std::string(kTicketPrefix) + core::randomHex(kTicketBytes);
  std::lock_guard lock(mu_);
  std::erase_if(tickets_, [now](const auto& t) { return now >= t.second.expires_at; });
  if (tickets_.size() >= max_total_ || heldByLocked(ownerOf(principal)) >= max_per_key_)
    return core::Error{core::ErrorCode::kResourceExhausted,
                       "too many unused stream tickets: open streams with the ones issued, or wait " +
                           std::to_string(ttl_.count()) + " s for them to expire",
                       nullptr};
  tickets_[core::sha256Hex(ticket)] = Entry{principal, workflow_id, now + ttl_};
  return Issued{std::move(ticket), ttl_};
}

core::Result<Principal> StreamTickets::redeem(std::string_view ticket, core::Id workflow_id) {
  auto now = clock_->steadyNow();
  std::string hash = core::sha256Hex(ticket);
  std::lock_guard lock(mu_);
  auto it = tickets_.find(hash);
  if (it == tickets_.end()) return refused();
  Entry entry = std::move(it->second);
  tickets_.erase(it);
  if (now >= entry.expires_at || entry.workflow_id != workflow_id) return refused();
  return entry.principal;
}

std::size_t StreamTickets::size() const {
  std::lock_guard lock(mu_);
  return tickets_.size();
}

}  // namespace codecrew::api
