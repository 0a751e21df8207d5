// KeyCache on its own: the TTL on the fake clock, TTL 0, the bound on
// entries, and concurrent use.
#include "api/key_cache.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace codecrew::api {
namespace {

using namespace std::chrono_literals;

Principal principalOf(core::Id key_id) { return Principal{7, key_id, store::Role::kMember}; }

class KeyCacheTest : public ::testing::Test {
 protected:
  std::shared_ptr<core::FakeClock> clock_ = std::make_shared<core::FakeClock>();
};

TEST_F(KeyCacheTest, AnEntryIsServedForTheTtlAndNotAfter) {
  KeyCache cache(clock_, 2s);
  EXPECT_FALSE(cache.find("h1"));
  cache.insert("h1", principalOf(1), 1234);
  auto hit = cache.find("h1");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->principal.api_key_id, std::optional<core::Id>(1));
  EXPECT_EQ(hit->principal.tenant_id, 7);
  EXPECT_EQ(hit->last_used_at, std::optional<core::Millis>(1234));
  clock_->advance(1999ms);
  EXPECT_TRUE(cache.find("h1"));
  clock_->advance(1ms);
  EXPECT_FALSE(cache.find("h1"));
  cache.insert("h1", principalOf(1), 5678);  // a fresh lookup replaces it
  ASSERT_TRUE(cache.find("h1"));
  EXPECT_EQ(cache.find("h1")->last_used_at, std::optional<core::Millis>(5678));
  EXPECT_EQ(cache.size(), 1u);
}

TEST_F(KeyCacheTest, TtlZeroKeepsNothing) {
  KeyCache cache(clock_, 0ms);
  cache.insert("h1", principalOf(1), std::nullopt);
  EXPECT_FALSE(cache.find("h1"));
  EXPECT_EQ(cache.size(), 0u);
}

TEST_F(KeyCacheTest, AFullCacheDropsExpiredEntriesFirst) {
  KeyCache cache(clock_, 2s, 3);
  cache.insert("old1", principalOf(1), std::nullopt);
  cache.insert("old2", principalOf(2), std::nullopt);
  clock_->advance(3s);
  cache.insert("fresh", principalOf(3), std::nullopt);
  EXPECT_EQ(cache.size(), 3u);
  cache.insert("new", principalOf(4), std::nullopt);
  EXPECT_EQ(cache.size(), 2u) << "the two expired entries go, the live one stays";
  EXPECT_TRUE(cache.find("fresh"));
  EXPECT_TRUE(cache.find("new"));
}

TEST_F(KeyCacheTest, AFullCacheOfLiveEntriesIsClearedNeverOverflowed) {
  KeyCache cache(clock_, 2s, 3);
  for (int i = 0; i < 3; ++i) cache.insert("k" + std::to_string(i), principalOf(i), std::nullopt);
  cache.insert("k0", principalOf(0), std::nullopt);  // replacing an entry needs no room
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_TRUE(cache.find("k2"));
  cache.insert("k3", principalOf(3), std::nullopt);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_TRUE(cache.find("k3"));
  EXPECT_FALSE(cache.find("k0"));
  for (int i = 0; i < 100; ++i) cache.insert("many" + std::to_string(i), principalOf(i), std::nullopt);
  EXPECT_LE(cache.size(), 3u);
}

TEST_F(KeyCacheTest, ManyThreadsFindAndInsertWithinTheBound) {
  KeyCache cache(clock_, 2s, 64);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        auto hash = "t" + std::to_string(t) + "-" + std::to_string(i % 100);
        if (!cache.find(hash)) cache.insert(hash, principalOf(i), std::nullopt);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(cache.size(), 64u);
}

}  // namespace
}  // namespace codecrew::api
