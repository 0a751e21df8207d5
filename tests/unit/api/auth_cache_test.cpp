// authenticate() with and without a KeyCache, over a SQLite store in a temp
// dir behind a wrapper that counts the key lookups and touches; the fake
// clock moves time. Revocations go to the store directly, as
// `codecrew keys revoke` in another process would.
#include "api/auth.h"
#include "api/key_cache.h"
#include "core/crypto.h"
#include "store/store_factory.h"
#include "store/store_wrapper.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <vector>

namespace codecrew::api {
namespace {

using namespace std::chrono_literals;

class CountingKeyStore final : public store::StoreWrapper {
 public:
  using StoreWrapper::StoreWrapper;
  core::Result<std::optional<store::ApiKey>> findApiKeyByHash(const std::string& key_hash) override {
    ++finds_;
    return StoreWrapper::findApiKeyByHash(key_hash);
  }
  core::Status touchApiKey(core::Id key_id, core::Millis used_at) override {
    {
      std::lock_guard lock(mu_);
      touched_at_.push_back(used_at);
    }
    return StoreWrapper::touchApiKey(key_id, used_at);
  }
  std::vector<core::Millis> touches() {
    std::lock_guard lock(mu_);
    return touched_at_;
  }
  int finds() const { return finds_.load(); }

 private:
  std::atomic<int> finds_{0};
  std::mutex mu_;
  std::vector<core::Millis> touched_at_;  // GUARDED_BY(mu_)
};

class AuthCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::openSqliteStore((dir_.path() / "auth.db").string(), clock_);
    ASSERT_TRUE(opened) << opened.error().message;
    raw_ = std::shared_ptr<store::Store>(std::move(*opened));
    counting_ = std::make_shared<CountingKeyStore>(raw_);
    ctx_.store = counting_;
    ctx_.clock = clock_;
    ctx_.config = std::make_shared<core::Config>();
    auto minted = mintApiKey(*raw_, "acme", store::Role::kMember, "test");
    ASSERT_TRUE(minted) << minted.error().message;
    secret_ = minted->secret;
    key_id_ = minted->key.id;
  }

  void useCache(std::chrono::milliseconds ttl) { ctx_.key_cache = std::make_shared<KeyCache>(clock_, ttl); }

  core::Result<Principal> authAs(const std::string& secret) const {
    http::Request req;
    req.headers["Authorization"] = "Bearer " + secret;
    return authenticate(ctx_, req);
  }
  core::Result<Principal> auth() const { return authAs(secret_); }

  void revoke() { ASSERT_TRUE(raw_->revokeApiKey(key_id_)); }

  std::optional<core::Millis> storedLastUse() {
    auto found = raw_->findApiKeyByHash(core::sha256Hex(secret_));
    return found && *found ? (*found)->last_used_at : std::nullopt;
  }

  // Authenticates every 500 ms of fake time for `span`; all must succeed.
  void useContinuously(std::chrono::milliseconds span) {
    for (auto t = 0ms; t < span; t += 500ms) {
      ASSERT_TRUE(auth()) << "at " << t.count() << " ms";
      clock_->advance(500ms);
    }
  }

  testing::TempDir dir_;
  std::shared_ptr<core::FakeClock> clock_ = std::make_shared<core::FakeClock>();
  std::shared_ptr<store::Store> raw_;
  std::shared_ptr<CountingKeyStore> counting_;
  ApiContext ctx_;
  std::string secret_;
  core::Id key_id_ = 0;
};

TEST_F(AuthCacheTest, AHitWithinTheTtlDoesNotReadTheStore) {
  useCache(2s);
  auto first = auth();
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->api_key_id, std::optional<core::Id>(key_id_));
  EXPECT_EQ(first->role, store::Role::kMember);
  EXPECT_EQ(counting_->finds(), 1);
  for (int i = 0; i < 10; ++i) {
    auto again = auth();
    ASSERT_TRUE(again);
    EXPECT_EQ(again->api_key_id, first->api_key_id);
    EXPECT_EQ(again->tenant_id, first->tenant_id);
  }
  clock_->advance(1999ms);
  ASSERT_TRUE(auth());
  EXPECT_EQ(counting_->finds(), 1) << "hits must not look the key up";
  clock_->advance(1ms);
  ASSERT_TRUE(auth());
  EXPECT_EQ(counting_->finds(), 2) << "an expired entry is looked up again";
}

TEST_F(AuthCacheTest, ARevokedKeyWorksUntilTheTtlPassesThenIsRefused) {
  useCache(2s);
  ASSERT_TRUE(auth());
  revoke();
  clock_->advance(1500ms);
  EXPECT_TRUE(auth()) << "within the TTL the cached entry still answers";
  clock_->advance(500ms);
  auto refused = auth();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_NE(refused.error().message.find("revoked"), std::string::npos) << refused.error().message;
  EXPECT_FALSE(auth()) << "a revoked key is not cached";
}

TEST_F(AuthCacheTest, AnUnknownKeyIsNotCached) {
  useCache(2s);
  const std::string secret = "cc_" + std::string(48, 'a');
  auto unknown = authAs(secret);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kUnauthenticated);
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(authAs("cc_bad" + std::to_string(i)));
  EXPECT_EQ(ctx_.key_cache->size(), 0u) << "bad keys must not take memory";
  // The key is created (as `codecrew keys create` would, elsewhere) with no
  // time passing: it works at once.
  auto tenant = raw_->ensureTenant("acme");
  ASSERT_TRUE(tenant);
  store::ApiKey key;
  key.tenant_id = tenant->id;
  key.name = "late";
  key.prefix = secret.substr(0, 11);
  key.key_hash = core::sha256Hex(secret);
  key.role = store::Role::kViewer;
  ASSERT_TRUE(raw_->createApiKey(key));
  auto known = authAs(secret);
  ASSERT_TRUE(known) << known.error().message;
  EXPECT_EQ(known->role, store::Role::kViewer);
}

TEST_F(AuthCacheTest, TtlZeroOrNoCacheReadsTheStoreEveryTime) {
  for (auto with_cache : {true, false}) {
    SCOPED_TRACE(with_cache ? "KeyCache with TTL 0" : "no KeyCache");
    ctx_.key_cache = with_cache ? std::make_shared<KeyCache>(clock_, 0ms) : nullptr;
    int before = counting_->finds();
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(auth());
    EXPECT_EQ(counting_->finds() - before, 3);
  }
  revoke();
  ctx_.key_cache = std::make_shared<KeyCache>(clock_, 0ms);
  EXPECT_FALSE(auth()) << "without caching a revocation is seen at once";
}

TEST_F(AuthCacheTest, AKeyInContinuousUseIsStillTouchedAboutOnceAMinute) {
  for (auto ttl : {2000ms, 300'000ms}) {
    SCOPED_TRACE("TTL " + std::to_string(ttl.count()) + " ms");
    useCache(ttl);
    auto before = counting_->touches().size();
    int finds_before = counting_->finds();
    useContinuously(5min);
    auto touches = counting_->touches();
    touches.erase(touches.begin(), touches.begin() + static_cast<std::ptrdiff_t>(before));
    ASSERT_GE(touches.size(), 4u);
    EXPECT_LE(touches.size(), 6u);
    for (std::size_t i = 1; i < touches.size(); ++i) {
      EXPECT_GT(touches[i] - touches[i - 1], 60'000);
      EXPECT_LE(touches[i] - touches[i - 1], 61'000) << "touch " << i;
    }
    ASSERT_TRUE(storedLastUse());
    EXPECT_LE(clock_->nowMillis() - *storedLastUse(), 61'000);
    EXPECT_LT(counting_->finds() - finds_before, 600 / 3) << "most of the 600 calls must be hits";
  }
}

}  // namespace
}  // namespace codecrew::api
