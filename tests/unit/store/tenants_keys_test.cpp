#include "store_fixture.h"

namespace codecrew::store::testing {
namespace {

class TenantsKeysTest : public StoreTest {
 protected:
  ApiKey key(Id tenant, const std::string& hash, Role role = Role::kMember) {
    ApiKey k;
    k.tenant_id = tenant;
    k.name = "ci";
    k.prefix = hash.substr(0, 4);
    k.key_hash = hash;
    k.role = role;
    return k;
  }
};

TEST_F(TenantsKeysTest, EnsureTenantIsIdempotent) {
  auto again = store_->ensureTenant("acme");
  ASSERT_OK(again);
  EXPECT_EQ(again->id, t1_);
  EXPECT_EQ(again->created_at, clock_->nowMillis());
  EXPECT_CODE(store_->ensureTenant(""), ErrorCode::kInvalidArgument);
}

TEST_F(TenantsKeysTest, GetAndFindTenant) {
  auto got = store_->getTenant(t2_);
  ASSERT_OK(got);
  EXPECT_EQ(got->name, "globex");
  EXPECT_CODE(store_->getTenant(424242), ErrorCode::kNotFound);
  auto found = store_->findTenantByName("acme");
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, t1_);
  auto missing = store_->findTenantByName("nobody");
  ASSERT_OK(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_F(TenantsKeysTest, CreateFindAndListKeys) {
  auto a = store_->createApiKey(key(t1_, "hash-a", Role::kAdmin));
  ASSERT_OK(a);
  EXPECT_GT(a->id, 0);
  EXPECT_EQ(a->role, Role::kAdmin);
  EXPECT_EQ(a->prefix, "hash");
  EXPECT_FALSE(a->revoked_at.has_value());
  ASSERT_OK(store_->createApiKey(key(t2_, "hash-b", Role::kViewer)));

  auto found = store_->findApiKeyByHash("hash-a");
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->tenant_id, t1_);
  auto none = store_->findApiKeyByHash("nope");
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());

  auto all = store_->listApiKeys(std::nullopt);
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 2u);
  auto mine = store_->listApiKeys(t2_);
  ASSERT_OK(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].role, Role::kViewer);
}

TEST_F(TenantsKeysTest, DuplicateHashIsAlreadyExists) {
  ASSERT_OK(store_->createApiKey(key(t1_, "dup")));
  EXPECT_CODE(store_->createApiKey(key(t2_, "dup")), ErrorCode::kAlreadyExists);
  EXPECT_CODE(store_->createApiKey(key(t1_, "")), ErrorCode::kInvalidArgument);
  EXPECT_CODE(store_->createApiKey(key(777, "other")), ErrorCode::kNotFound);
}

TEST_F(TenantsKeysTest, RevokeKeepsTheFirstRevocationTime) {
  auto k = store_->createApiKey(key(t1_, "r"));
  ASSERT_OK(k);
  clock_->advance(std::chrono::seconds(5));
  auto revoked = store_->revokeApiKey(k->id);
  ASSERT_OK(revoked);
  ASSERT_TRUE(revoked->revoked_at.has_value());
  const Millis first = *revoked->revoked_at;
  EXPECT_EQ(first, clock_->nowMillis());
  clock_->advance(std::chrono::seconds(5));
  auto again = store_->revokeApiKey(k->id);
  ASSERT_OK(again);
  EXPECT_EQ(*again->revoked_at, first);
  EXPECT_CODE(store_->revokeApiKey(99999), ErrorCode::kNotFound);
}

TEST_F(TenantsKeysTest, TouchRecordsLastUse) {
  auto k = store_->createApiKey(key(t1_, "t"));
  ASSERT_OK(k);
  auto lastUsed = [&] {
    auto found = store_->findApiKeyByHash("t");
    EXPECT_TRUE(found.ok() && found->has_value());
    return (*found)->last_used_at;
  };
  EXPECT_FALSE(lastUsed().has_value());
  ASSERT_OK(store_->touchApiKey(k->id, 1'000'000));
  EXPECT_EQ(lastUsed(), std::optional<Millis>(1'000'000));
  // Within the resolution the stored time stays; past it, it moves.
  ASSERT_OK(store_->touchApiKey(k->id, 1'000'000 + SqlStore::kTouchResolutionMs - 1));
  EXPECT_EQ(lastUsed(), std::optional<Millis>(1'000'000));
  ASSERT_OK(store_->touchApiKey(k->id, 1'000'000 + SqlStore::kTouchResolutionMs));
  EXPECT_EQ(lastUsed(), std::optional<Millis>(1'000'000 + SqlStore::kTouchResolutionMs));
  EXPECT_CODE(store_->touchApiKey(99999, 1), ErrorCode::kNotFound);
}

TEST_F(TenantsKeysTest, AuditAppendsAndPagesNewestFirst) {
  for (int i = 0; i < 5; ++i) {
    AuditEntry e;
    e.tenant_id = t1_;
    e.action = "workflow.create";
    e.method = "POST";
    e.path = "/workflows";
    e.status = 201;
    e.request_id = "req-" + std::to_string(i);
    e.details = boost::json::object{{"i", i}};
    ASSERT_OK(store_->appendAudit(e));
  }
  AuditEntry other;
  other.tenant_id = t2_;
  other.action = "workflow.delete";
  ASSERT_OK(store_->appendAudit(other));
  AuditEntry empty;
  empty.tenant_id = t1_;
  EXPECT_CODE(store_->appendAudit(empty), ErrorCode::kInvalidArgument);

  auto page = store_->listAudit(t1_, {1, 2});
  ASSERT_OK(page);
  EXPECT_EQ(page->total, 5);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].request_id, "req-4");
  EXPECT_EQ(page->items[0].details.at("i").as_int64(), 4);
  EXPECT_EQ(page->items[0].status, 201);
  auto last = store_->listAudit(t1_, {3, 2});
  ASSERT_OK(last);
  ASSERT_EQ(last->items.size(), 1u);
  EXPECT_EQ(last->items[0].request_id, "req-0");
  EXPECT_CODE(store_->listAudit(t1_, {0, 2}), ErrorCode::kInvalidArgument);
}

TEST_F(TenantsKeysTest, ProjectsCreateGetList) {
  Project p;
  p.tenant_id = t1_;
  p.name = "api";
  p.workspace_path = "/srv/api";
  p.repository_url = "https://example.invalid/api.git";
  p.budgets = boost::json::object{{"max_cost", 5.5}};
  auto created = store_->createProject(p);
  ASSERT_OK(created);
  EXPECT_EQ(created->default_crew, "sdlc");
  EXPECT_EQ(created->budgets.at("max_cost").as_double(), 5.5);
  auto got = store_->getProject(t1_, created->id);
  ASSERT_OK(got);
  EXPECT_EQ(got->workspace_path, "/srv/api");
  EXPECT_CODE(store_->getProject(t2_, created->id), ErrorCode::kNotFound);
  auto list = store_->listProjects(t1_, {});
  ASSERT_OK(list);
  EXPECT_EQ(list->total, 1);
  auto none = store_->listProjects(t2_, {});
  ASSERT_OK(none);
  EXPECT_EQ(none->total, 0);
  Project unnamed;
  unnamed.tenant_id = t1_;
  EXPECT_CODE(store_->createProject(unnamed), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace codecrew::store::testing
