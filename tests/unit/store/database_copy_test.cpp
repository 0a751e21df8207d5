// Copying a codecrew database into another (store/sql/database_copy.h): a
// SQLite source holding a few of every object, made through the Store API,
// is copied into an empty SQLite file and into a scratch PostgreSQL schema
// (DatabaseCopyTest.*/Sqlite, .../Postgres). Every column of every row reads
// back the same; the Store on the target sees the same objects under the same
// ids (events keep their seqs); a row inserted afterwards gets an id past the
// copied ones. A target that holds rows, or is at another schema version, is
// refused with nothing written, and a row the target refuses undoes the whole
// copy. copiedTables() is checked against the schema itself.
#include "database_copy_fixture.h"
#include "store/sqlite/sqlite_database.h"

#include <map>
#include <set>

namespace codecrew::store::testing {
namespace {

enum class Target { kSqlite, kPostgres };
void PrintTo(Target target, std::ostream* os) { *os << (target == Target::kPostgres ? "Postgres" : "Sqlite"); }

class DatabaseCopyTest : public ::testing::TestWithParam<Target> {
 protected:
  void SetUp() override {
    clock_ = std::make_shared<core::FakeClock>();
    clock_->set(1'700'000'000'000);
    if (GetParam() == Target::kPostgres) {
      CODECREW_REQUIRE_POSTGRES();
      schema_ = std::make_unique<codecrew::testing::ScratchSchema>();
    }
    auto source_store = openSqliteStore((dir_.path() / "source.db").string(), clock_);
    ASSERT_TRUE(source_store.ok()) << source_store.error().message;
    source_store_ = std::move(source_store).value();
    auto source = openMigratedDatabase(sourceUrl(), clock_, IfMissing::kRefuse);
    ASSERT_TRUE(source.ok()) << source.error().message;
    source_ = std::move(source).value();
    auto target = openMigratedDatabase(targetUrl(), clock_);
    ASSERT_TRUE(target.ok()) << target.error().message;
    target_ = std::move(target).value();
  }

  std::string sourceUrl() const { return sqliteUrl(dir_.path() / "source.db"); }
  std::string targetUrl() const { return schema_ ? schema_->url() : sqliteUrl(dir_.path() / "target" / "copy.db"); }

  // The Store of the target, as a server would open it.
  std::unique_ptr<Store> targetStore() {
    auto s = schema_ ? openPostgresStore(schema_->url(), clock_)
                     : openSqliteStore((dir_.path() / "target" / "copy.db").string(), clock_);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return s.ok() ? std::move(s).value() : nullptr;
  }

  codecrew::testing::TempDir dir_;
  std::unique_ptr<codecrew::testing::ScratchSchema> schema_;
  std::shared_ptr<core::FakeClock> clock_;
  std::unique_ptr<Store> source_store_;
  std::unique_ptr<sql::Database> source_;
  std::unique_ptr<sql::Database> target_;
};

TEST_P(DatabaseCopyTest, CopiesEveryRowWithItsIdsAndTheStoreReadsThemBack) {
  const Made m = fillSource(*source_store_, *clock_, *source_);
  const Schema schema = columnsOf(*source_);
  const Dump before = dump(*source_, schema);
  for (const auto& t : sql::copiedTables()) {
    EXPECT_FALSE(before.at(std::string(t.name)).empty()) << "the source has no " << t.name;
  }

  std::vector<sql::TableCopied> progress;
  sql::CopyOptions options;
  options.batch_rows = 2;  // several batches per table; a self-reference into a later batch
  options.on_table = [&](const sql::TableCopied& t) { progress.push_back(t); };
  auto report = sql::copyDatabase(*source_, *target_, options);
  ASSERT_TRUE(report.ok()) << report.error().message;

  EXPECT_EQ(report->schema_version, sql::builtinMigrations().back().version);
  EXPECT_EQ(report->rows, static_cast<std::int64_t>(rowCount(before)));
  ASSERT_EQ(progress.size(), sql::copiedTables().size());
  for (std::size_t i = 0; i < progress.size(); ++i) {
    EXPECT_EQ(progress[i].table, sql::copiedTables()[i].name);
    EXPECT_EQ(progress[i].rows, static_cast<std::int64_t>(before.at(progress[i].table).size())) << progress[i].table;
    EXPECT_EQ(report->tables[i].rows, progress[i].rows);
  }
  const Dump after = dump(*target_, schema);
  for (const auto& [table, rows] : before) EXPECT_EQ(after.at(table), rows) << table;

  // The Store on the target sees the same objects under the same ids.
  auto target = targetStore();
  ASSERT_NE(target, nullptr);
  auto wf = target->getWorkflow(m.acme, m.wf1);
  ASSERT_OK(wf);
  auto wf_src = source_store_->getWorkflow(m.acme, m.wf1);
  EXPECT_EQ(wf->name, "login");
  EXPECT_EQ(wf->jira_story_id, wf_src->jira_story_id);
  EXPECT_EQ(wf->project_id, wf_src->project_id);
  EXPECT_EQ(wf->inputs, wf_src->inputs);
  EXPECT_EQ(wf->created_at, wf_src->created_at);
  auto found = target->findWorkflowByStory(m.acme, "PROJ-1");
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, m.wf1);

  auto ex = target->getExecution(m.acme, m.wf1, m.ex1);
  ASSERT_OK(ex);
  auto ex_src = source_store_->getExecution(m.acme, m.wf1, m.ex1);
  EXPECT_EQ(ex->checkpoint, ex_src->checkpoint);
  EXPECT_EQ(ex->workspace, ex_src->workspace);
  EXPECT_EQ(ex->meta, ex_src->meta);
  EXPECT_EQ(ex->idempotency_key, std::optional<std::string>("first-run"));
  EXPECT_EQ(ex->api_key_id, std::optional<Id>(m.used_key));
  EXPECT_EQ(ex->stage, Stage::kPlanning);
  auto job = target->getJobForExecution(m.acme, m.ex1);
  ASSERT_OK(job);
  auto attempts = target->listJobAttempts(m.acme, job->id);
  ASSERT_OK(attempts);
  ASSERT_EQ(attempts->size(), 1u);
  EXPECT_EQ((*attempts)[0].worker, "worker-a");

  auto events = target->listEvents(m.acme, m.wf1, 0, 100);
  ASSERT_OK(events);
  auto events_src = source_store_->listEvents(m.acme, m.wf1, 0, 100);
  ASSERT_EQ(events->size(), 5u);
  for (std::size_t i = 0; i < events->size(); ++i) {
    EXPECT_EQ((*events)[i].seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ((*events)[i].id, (*events_src)[i].id);
    EXPECT_EQ((*events)[i].data, (*events_src)[i].data);
  }
  auto since = target->listEvents(m.acme, m.wf1, 3, 100);
  ASSERT_OK(since);
  ASSERT_EQ(since->size(), 2u);
  EXPECT_EQ((*since)[0].seq, 4);

  for (Id id : m.calls) {
    auto call = target->getLlmCall(m.acme, id);
    ASSERT_OK(call);
    auto call_src = source_store_->getLlmCall(m.acme, id);
    EXPECT_EQ(call->fallback_of, call_src->fallback_of) << id;
    EXPECT_EQ(call->cost, call_src->cost) << id;  // bit for bit
    EXPECT_EQ(call->prompt_tokens, call_src->prompt_tokens) << id;
    EXPECT_EQ(call->max_tokens, call_src->max_tokens) << id;
  }
  EXPECT_EQ(target->getLlmCall(m.acme, m.calls[0])->fallback_of, std::optional<Id>(m.calls[3]));

  auto key = target->findApiKeyByHash("hash-2");
  ASSERT_OK(key);
  ASSERT_TRUE(key->has_value());
  EXPECT_EQ((*key)->id, m.revoked_key);
  EXPECT_TRUE((*key)->revoked_at.has_value());
  EXPECT_EQ((*key)->role, Role::kViewer);
  auto files = target->listSessionFiles(m.acme, m.session);
  ASSERT_OK(files);
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ(target->getSessionFile(m.acme, m.session, "dir/b.txt")->content, "héllo");
  auto pr = target->getPullRequest(m.acme, m.wf1);
  ASSERT_OK(pr);
  ASSERT_TRUE(pr->has_value());
  EXPECT_TRUE((*pr)->draft);
  EXPECT_EQ((*pr)->fingerprints, (boost::json::array{"f1"}));
  EXPECT_EQ(target->listChecks(m.acme, (*pr)->id, {1, 10})->total, 2);
  auto delivery = target->findWebhookDelivery("d-2");
  ASSERT_OK(delivery);
  ASSERT_TRUE(delivery->has_value());
  EXPECT_EQ((*delivery)->outcome, "queued");
  EXPECT_EQ(target->getTenant(m.globex)->name, "globex \"quoted\"");

  // New rows get ids past the copied ones, and a workflow's seqs go on.
  clock_->advance(std::chrono::seconds(1));
  auto tenant = target->ensureTenant("initech");
  ASSERT_OK(tenant);
  EXPECT_GT(tenant->id, maxId(before, "tenants"));
  Workflow w;
  w.tenant_id = m.acme;
  w.name = "after the move";
  auto created = target->createWorkflow(w);
  ASSERT_OK(created);
  EXPECT_GT(created->value.id, maxId(before, "workflows"));
  Event ev;
  ev.tenant_id = m.acme;
  ev.workflow_id = m.wf1;
  ev.type = "execution.status";
  auto appended = target->appendEvent(ev);
  ASSERT_OK(appended);
  EXPECT_EQ(appended->seq, 6);
  EXPECT_GT(appended->id, maxId(before, "events"));
  auto call = target->getLlmCall(m.acme, m.calls[1]);
  ASSERT_OK(call);
  call->id = 0;
  call->fallback_of = std::nullopt;
  auto inserted = target->insertLlmCall(*call);
  ASSERT_OK(inserted);
  EXPECT_GT(inserted->id, maxId(before, "llm_calls"));
  ApiKey k;
  k.tenant_id = m.acme;
  k.key_hash = "hash-new";
  auto new_key = target->createApiKey(k);
  ASSERT_OK(new_key);
  EXPECT_GT(new_key->id, maxId(before, "api_keys"));
  WebhookDelivery wd;
  wd.delivery_id = "d-3";
  wd.event = "ping";
  ASSERT_OK(target->recordWebhookDelivery(wd));
  EXPECT_GT((*target->findWebhookDelivery("d-3"))->id, maxId(before, "webhook_deliveries"));
}

TEST_P(DatabaseCopyTest, ATargetThatHoldsRowsIsRefusedWithNothingWritten) {
  fillSource(*source_store_, *clock_, *source_);
  auto target = targetStore();
  ASSERT_NE(target, nullptr);
  ASSERT_OK(target->ensureTenant("already-here"));  // as a server started on it would
  const Schema schema = columnsOf(*source_);
  const Dump held = dump(*target_, schema);
  ASSERT_EQ(rowCount(held), 1u);

  bool called = false;
  sql::CopyOptions options;
  options.on_table = [&](const sql::TableCopied&) { called = true; };
  auto refused = sql::copyDatabase(*source_, *target_, options);
  EXPECT_CODE(refused, ErrorCode::kFailedPrecondition);
  EXPECT_NE(refused.error().message.find("already holds rows: tenants (1 row)"), std::string::npos)
      << refused.error().message;
  EXPECT_FALSE(called);
  EXPECT_EQ(dump(*target_, schema), held);
}

TEST_P(DatabaseCopyTest, ARowTheTargetRefusesUndoesTheWholeCopy) {
  fillSource(*source_store_, *clock_, *source_);
  // A message whose conversation is gone: SQLite kept it with its foreign
  // keys off; the target refuses it.
  Status dangling = source_->exclusive([](Connection& c) -> Status {
    if (auto st = c.exec("PRAGMA foreign_keys=OFF"); !st.ok()) return st;
    auto st = c.exec(
        "INSERT INTO messages (tenant_id, conversation_id, role, content, created_at) "
        "VALUES ((SELECT min(id) FROM tenants), 999, 'user', 'x', 1)");
    if (auto on = c.exec("PRAGMA foreign_keys=ON"); !on.ok()) return on;
    return st;
  });
  ASSERT_TRUE(dangling.ok()) << dangling.error().message;
  const Schema schema = columnsOf(*source_);

  int tables_copied = 0;
  sql::CopyOptions options;
  options.on_table = [&](const sql::TableCopied&) { ++tables_copied; };
  auto failed = sql::copyDatabase(*source_, *target_, options);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message.rfind("copying messages: ", 0), 0u) << failed.error().message;
  EXPECT_EQ(tables_copied, 9);  // tenants .. conversations, then messages failed
  EXPECT_EQ(rowCount(dump(*target_, schema)), 0u);
  // Still empty, so a second attempt (the row fixed) copies everything.
  ASSERT_TRUE(
      source_->write([](Connection& c) { return c.exec("DELETE FROM messages WHERE conversation_id = 999"); }).ok());
  auto again = sql::copyDatabase(*source_, *target_);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(dump(*target_, schema), dump(*source_, schema));
}

INSTANTIATE_TEST_SUITE_P(Targets, DatabaseCopyTest, ::testing::Values(Target::kSqlite, Target::kPostgres),
                         [](const ::testing::TestParamInfo<Target>& info) {
                           return info.param == Target::kPostgres ? "Postgres" : "Sqlite";
                         });

// copiedTables() names every table of the latest schema (schema_migrations
// aside) in an order where each table follows those its foreign keys name;
// a table that names itself declares the column.
TEST(DatabaseCopy, CopiedTablesAreTheSchemasTablesInForeignKeyOrder) {
  codecrew::testing::TempDir dir;
  auto db = openMigratedDatabase(sqliteUrl(dir.path() / "codecrew.db"), std::make_shared<core::FakeClock>());
  ASSERT_TRUE(db.ok()) << db.error().message;
  std::map<std::string, std::size_t> position;
  for (const auto& t : sql::copiedTables()) position.emplace(std::string(t.name), position.size());
  Status st = (*db)->read([&](Connection& c) -> Status {
    auto tables = c.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
        "AND name <> 'schema_migrations' ORDER BY name");
    if (!tables.ok()) return std::move(tables).error();
    std::set<std::string> names;
    while (*tables->step()) names.insert(tables->text(0));
    std::set<std::string> listed;
    for (const auto& [name, i] : position) listed.insert(name);
    EXPECT_EQ(names, listed);
    for (const auto& t : sql::copiedTables()) {
      auto fks = c.prepare("SELECT \"table\", \"from\" FROM pragma_foreign_key_list(?)");
      if (!fks.ok()) return std::move(fks).error();
      fks->bind(t.name);
      bool names_itself = false;
      while (*fks->step()) {
        const std::string parent = fks->text(0);
        if (parent == t.name) {
          names_itself = true;
          EXPECT_EQ(fks->text(1), t.self_reference) << t.name;
          continue;
        }
        EXPECT_TRUE(position.count(parent)) << t.name << " references " << parent;
        if (!position.count(parent)) continue;
        EXPECT_LT(position[parent], position[std::string(t.name)]) << t.name << " is copied before " << parent;
      }
      EXPECT_EQ(names_itself, !t.self_reference.empty()) << t.name;
    }
    return {};
  });
  EXPECT_TRUE(st.ok()) << st.error().message;
}

// Both sides must be at the same schema version: one left at an older one
// is refused before anything is written.
TEST(DatabaseCopy, ATargetAtAnotherSchemaVersionIsRefused) {
  codecrew::testing::TempDir dir;
  auto clock = std::make_shared<core::FakeClock>();
  auto source_store = openSqliteStore((dir.path() / "source.db").string(), clock);
  ASSERT_TRUE(source_store.ok());
  ASSERT_OK((*source_store)->ensureTenant("acme"));
  auto source = openMigratedDatabase(sqliteUrl(dir.path() / "source.db"), clock, IfMissing::kRefuse);
  ASSERT_TRUE(source.ok());
  auto older = sqlite::SqliteDatabase::open((dir.path() / "older.db").string(), {});
  ASSERT_TRUE(older.ok());
  const auto first_three = sql::builtinMigrations().first(3);
  ASSERT_TRUE((*older)
                  ->exclusive([&](Connection& c) -> Status {
                    auto v = sql::applyMigrations(c, first_three, 1);
                    if (!v.ok()) return std::move(v).error();
                    return {};
                  })
                  .ok());
  auto refused = sql::copyDatabase(**source, **older);
  EXPECT_CODE(refused, ErrorCode::kFailedPrecondition);
  EXPECT_NE(refused.error().message.find("target's at 3"), std::string::npos) << refused.error().message;
  auto tenants = (*older)->readResult(
      [](Connection& c) { return sql::fetchInt(c, "SELECT count(*) FROM tenants", {}); });
  ASSERT_OK(tenants);
  EXPECT_EQ(*tenants, 0);
}

// A missing SQLite source is not created; an unknown scheme is refused.
TEST(DatabaseCopy, OpeningRefusesAMissingSourceAndAnUnknownScheme) {
  codecrew::testing::TempDir dir;
  auto clock = std::make_shared<core::FakeClock>();
  const auto missing = dir.path() / "nothing" / "here.db";
  EXPECT_CODE(openMigratedDatabase(sqliteUrl(missing), clock, IfMissing::kRefuse), ErrorCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(missing));
  auto unknown = openMigratedDatabase("mysql://user:secret@host/db", clock);
  EXPECT_CODE(unknown, ErrorCode::kInvalidArgument);
  EXPECT_EQ(unknown.error().message.find("secret"), std::string::npos) << unknown.error().message;
  auto created = openMigratedDatabase(sqliteUrl(missing), clock);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(std::filesystem::exists(missing));
}

}  // namespace
}  // namespace codecrew::store::testing
