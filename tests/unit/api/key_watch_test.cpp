// KeyWatch over a real SQLite store: one pass revokes every stream of a key
// revoked in the store (with the reason) and none of a valid key's, forgets
// closed streams, and checks each key once however many streams it has.
#include "api/key_watch.h"
#include "api/auth.h"
#include "core/crypto.h"
#include "store/store_factory.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <atomic>

namespace codecrew::api {
namespace {

using namespace std::chrono_literals;

// A stream as the watch sees it: open until revoked or closed by hand.
struct FakeStream {
  std::atomic<bool> closed{false};
  std::string why;
  KeyWatch::Stream handle() {
    return {[this] { return closed.load(); },
            [this](const core::Error& e) {
              why = e.message;
              closed = true;
            }};
  }
};

// Counts the store's key lookups.
class CountingKeys final : public store::TenantStore {
 public:
  explicit CountingKeys(std::shared_ptr<store::Store> inner) : inner_(std::move(inner)) {}
  int lookups = 0;
  store::Result<store::Tenant> ensureTenant(const std::string& n) override { return inner_->ensureTenant(n); }
  store::Result<store::Tenant> getTenant(core::Id id) override { return inner_->getTenant(id); }
  store::Result<std::optional<store::Tenant>> findTenantByName(const std::string& n) override {
    return inner_->findTenantByName(n);
  }
  store::Result<store::ApiKey> createApiKey(const store::ApiKey& k) override { return inner_->createApiKey(k); }
  store::Result<std::optional<store::ApiKey>> findApiKeyByHash(const std::string& h) override {
    ++lookups;
    return inner_->findApiKeyByHash(h);
  }
  store::Result<std::vector<store::ApiKey>> listApiKeys(std::optional<core::Id> t) override {
    return inner_->listApiKeys(t);
  }
  store::Result<store::ApiKey> revokeApiKey(core::Id id) override { return inner_->revokeApiKey(id); }
  store::Status touchApiKey(core::Id id, core::Millis at) override { return inner_->touchApiKey(id, at); }
  store::Status appendAudit(const store::AuditEntry& e) override { return inner_->appendAudit(e); }
  store::Result<store::Page<store::AuditEntry>> listAudit(core::Id t, const store::PageRequest& p) override {
    return inner_->listAudit(t, p);
  }

 private:
  std::shared_ptr<store::Store> inner_;
};

class KeyWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::openSqliteStore((dir_.path() / "keys.db").string(), core::SystemClock::instance());
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::shared_ptr<store::Store>(std::move(*opened));
    keys_ = std::make_shared<CountingKeys>(store_);
    a_ = mintApiKey(*store_, "acme", store::Role::kMember, "a").value();
    b_ = mintApiKey(*store_, "acme", store::Role::kMember, "b").value();
  }

  testing::TempDir dir_;
  std::shared_ptr<store::Store> store_;
  std::shared_ptr<CountingKeys> keys_;
  MintedKey a_, b_;
};

TEST_F(KeyWatchTest, CheckKeyInStoreSaysRevokedUnknownOrValid) {
  EXPECT_TRUE(checkKeyInStore(*store_, a_.key.key_hash));
  auto unknown = checkKeyInStore(*store_, core::sha256Hex("cc_nope"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kUnauthenticated);
  ASSERT_TRUE(store_->revokeApiKey(a_.key.id));
  auto revoked = checkKeyInStore(*store_, a_.key.key_hash);
  ASSERT_FALSE(revoked);
  EXPECT_EQ(revoked.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(revoked.error().message, "API key revoked");
}

TEST_F(KeyWatchTest, APassRevokesEveryStreamOfARevokedKeyAndNoOther) {
  KeyWatch watch(keys_, 60s);
  FakeStream a1, a2, b1;
  watch.watch(a_.key.key_hash, a1.handle());
  watch.watch(a_.key.key_hash, a2.handle());
  watch.watch(b_.key.key_hash, b1.handle());
  watch.checkNow();
  EXPECT_FALSE(a1.closed || a2.closed || b1.closed);
  EXPECT_EQ(keys_->lookups, 2) << "one lookup per key, not per stream";

  ASSERT_TRUE(store_->revokeApiKey(a_.key.id));
  watch.checkNow();
  EXPECT_TRUE(a1.closed);
  EXPECT_TRUE(a2.closed);
  EXPECT_EQ(a1.why, "API key revoked");
  EXPECT_FALSE(b1.closed);
  EXPECT_EQ(watch.size(), 1u) << "a revoked key's streams are forgotten";
}

TEST_F(KeyWatchTest, ClosedStreamsAreForgottenAndDevModeIsNotWatched) {
  KeyWatch watch(keys_, 60s);
  FakeStream a1, dev;
  watch.watch(a_.key.key_hash, a1.handle());
  watch.watch("", dev.handle());
  EXPECT_EQ(watch.size(), 1u);
  a1.closed = true;
  watch.checkNow();
  EXPECT_EQ(watch.size(), 0u);
  EXPECT_TRUE(a1.why.empty()) << "a stream that closed on its own is not revoked";
}

TEST_F(KeyWatchTest, TheIntervalIsAtLeastASecond) {
  EXPECT_EQ(KeyWatch(keys_, 0ms).interval(), 1000ms);
  EXPECT_EQ(KeyWatch(keys_, 2s).interval(), 2000ms);
}

}  // namespace
}  // namespace codecrew::api
