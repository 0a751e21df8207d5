// StreamTickets on its own, on a fake clock: a ticket opens one stream of
// the workflow it was issued for, as the principal it was issued to, once,
// within its TTL; every other use is the same refusal; the caps hold.
#include "api/stream_tickets.h"

#include "core/crypto.h"

#include <gtest/gtest.h>

namespace codecrew::api {
namespace {

using namespace std::chrono_literals;

Principal keyOf(core::Id tenant, core::Id key_id, const std::string& hash) {
  return Principal{tenant, key_id, store::Role::kMember, hash};
}

class StreamTicketsTest : public ::testing::Test {
 protected:
  std::shared_ptr<core::FakeClock> clock_ = std::make_shared<core::FakeClock>();
  StreamTickets tickets_{clock_};
  Principal acme_ = keyOf(1, 10, "acme-key-hash");
  Principal globex_ = keyOf(2, 20, "globex-key-hash");
};

void expectRefused(const core::Result<Principal>& r) {
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(r.error().message, "invalid, used or expired stream ticket");
}

TEST_F(StreamTicketsTest, ATicketGivesBackItsPrincipalOnceForItsWorkflow) {
  auto issued = tickets_.issue(acme_, 5);
  ASSERT_TRUE(issued);
  EXPECT_EQ(issued->ticket.rfind("cst_", 0), 0u);
  EXPECT_EQ(issued->ticket.size(), 4u + 64u);
  EXPECT_EQ(issued->expires_in, 60s);
  auto redeemed = tickets_.redeem(issued->ticket, 5);
  ASSERT_TRUE(redeemed) << redeemed.error().message;
  EXPECT_EQ(redeemed->tenant_id, 1);
  EXPECT_EQ(redeemed->api_key_id, std::optional<core::Id>(10));
  EXPECT_EQ(redeemed->key_hash, "acme-key-hash");
  EXPECT_EQ(redeemed->role, store::Role::kMember);
  expectRefused(tickets_.redeem(issued->ticket, 5));  // single use
  EXPECT_EQ(tickets_.size(), 0u);
}

TEST_F(StreamTicketsTest, EachTicketIsNewAndBoundToItsOwnPrincipal) {
  auto a = tickets_.issue(acme_, 5);
  auto b = tickets_.issue(globex_, 6);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->ticket, b->ticket);
  auto as_b = tickets_.redeem(b->ticket, 6);
  ASSERT_TRUE(as_b);
  EXPECT_EQ(as_b->tenant_id, 2) << "a ticket acts as its own tenant's key, never another's";
  auto as_a = tickets_.redeem(a->ticket, 5);
  ASSERT_TRUE(as_a);
  EXPECT_EQ(as_a->tenant_id, 1);
}

TEST_F(StreamTicketsTest, AnExpiredTicketIsRefused) {
  auto issued = tickets_.issue(acme_, 5);
  ASSERT_TRUE(issued);
  clock_->advance(59'999ms);
  auto early = tickets_.issue(acme_, 5);
  ASSERT_TRUE(early);
  EXPECT_TRUE(tickets_.redeem(early->ticket, 5));
  clock_->advance(1ms);
  expectRefused(tickets_.redeem(issued->ticket, 5));
}

TEST_F(StreamTicketsTest, AnotherWorkflowOrAnUnknownTicketIsRefusedAndUsesTheTicketUp) {
  auto issued = tickets_.issue(acme_, 5);
  ASSERT_TRUE(issued);
  expectRefused(tickets_.redeem(issued->ticket, 6));
  expectRefused(tickets_.redeem(issued->ticket, 5));
  expectRefused(tickets_.redeem("cst_" + std::string(64, '0'), 5));
  expectRefused(tickets_.redeem("", 5));
}

TEST_F(StreamTicketsTest, OnlyTheHashOfATicketIsHeld) {
  // The ticket's SHA-256 opens nothing: what is held cannot be replayed.
  auto issued = tickets_.issue(acme_, 5);
  ASSERT_TRUE(issued);
  expectRefused(tickets_.redeem(core::sha256Hex(issued->ticket), 5));
}

TEST_F(StreamTicketsTest, UnusedTicketsAreCappedPerKeyAndInAll) {
  StreamTickets capped(clock_, 60s, 2, 3);
  ASSERT_TRUE(capped.issue(acme_, 5));
  ASSERT_TRUE(capped.issue(acme_, 5));
  auto third = capped.issue(acme_, 5);
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, core::ErrorCode::kResourceExhausted);
  ASSERT_TRUE(capped.issue(globex_, 6));
  EXPECT_FALSE(capped.issue(keyOf(3, 30, "initech"), 7)) << "the total cap";
  clock_->advance(60s);  // expired tickets make room
  EXPECT_TRUE(capped.issue(acme_, 5));
  EXPECT_EQ(capped.size(), 1u);
}

}  // namespace
}  // namespace codecrew::api
