#include "store/sql/query_support.h"
#include "store/sql/workflow_queries.h"
#include "store/sqlite/sqlite_connection.h"
#include "store_fixture.h"

namespace codecrew::store::testing {
namespace {

// The filters and sorts of the Store's listings are served by indexes: the
// query plan searches an index instead of scanning the table.
class IndexesTest : public StoreTest {
 protected:
  std::string plan(const std::string& sql) {
    auto conn = sqlite::SqliteConnection::open(dbPath(), {});
    EXPECT_TRUE(conn.ok());
    auto rows = sql::fetchAll<std::string>(**conn, "EXPLAIN QUERY PLAN " + sql, {},
                                           [](const sql::Statement& s) { return s.text(3); });
    EXPECT_TRUE(rows.ok()) << (rows.ok() ? "" : rows.error().message);
    std::string out;
    for (const auto& r : *rows) out += r + "\n";
    return out;
  }
  // The plan of sql searches `index` (and does not scan a table).
  void expectIndex(const std::string& sql, const std::string& index) {
    const std::string p = plan(sql);
    EXPECT_EQ(p.find("SCAN"), std::string::npos) << sql << "\n" << p;
    EXPECT_NE(p.find("INDEX " + index + " "), std::string::npos) << sql << "\n" << p;
  }
};

TEST_F(IndexesTest, ListingsSearchTheirOwnIndexes) {
  const std::string calls = "SELECT * FROM llm_calls WHERE tenant_id = 1 AND ";
  const std::string by_time = " ORDER BY timestamp DESC, id DESC LIMIT 50";
  expectIndex(calls + "conversation_id = 2" + by_time, "llm_calls_by_conversation");
  expectIndex(calls + "execution_id = 2" + by_time, "llm_calls_by_execution");
  expectIndex(calls + "api_key_id = 2" + by_time, "llm_calls_by_api_key");
  expectIndex(calls + "model = 'm'" + by_time, "llm_calls_by_model");
  expectIndex("SELECT * FROM workflows WHERE tenant_id = 1 AND status = 'running' ORDER BY id DESC",
              "workflows_by_status");
  expectIndex("SELECT * FROM workflows WHERE tenant_id = 1 AND jira_story_id = 'X-1'", "workflows_by_story");
  expectIndex("SELECT * FROM pull_requests WHERE repository = 'o/r' AND head_branch = 'b' ORDER BY id DESC LIMIT 1",
              "pull_requests_by_branch");
  expectIndex("SELECT * FROM pull_requests WHERE repository = 'o/r' AND number = 3 ORDER BY id DESC LIMIT 1",
              "pull_requests_by_number");
  expectIndex("SELECT * FROM events WHERE tenant_id = 1 AND workflow_id = 2 AND seq > 5 ORDER BY seq LIMIT 10",
              "sqlite_autoindex_events_1");  // UNIQUE (workflow_id, seq)
  expectIndex("SELECT * FROM executions WHERE tenant_id = 1 AND workflow_id = 2 ORDER BY id DESC",
              "executions_by_workflow");
  expectIndex("SELECT * FROM conversations WHERE tenant_id = 1 AND workflow_id = 2 ORDER BY id",
              "conversations_by_workflow");
  expectIndex("SELECT * FROM messages WHERE tenant_id = 1 AND conversation_id = 2 ORDER BY id",
              "messages_by_conversation");
  expectIndex("SELECT * FROM approvals WHERE tenant_id = 1 AND status = 'pending' ORDER BY id", "approvals_by_status");
  expectIndex("SELECT * FROM approvals WHERE tenant_id = 1 AND execution_id = 2 ORDER BY id", "approvals_by_execution");
  expectIndex("SELECT * FROM execution_jobs WHERE status = 'queued' ORDER BY id", "execution_jobs_by_status");
  expectIndex("SELECT * FROM diffs WHERE tenant_id = 1 AND workflow_id = 2 ORDER BY path, id", "diffs_by_workflow");
  expectIndex("SELECT * FROM artifacts WHERE tenant_id = 1 AND workflow_id = 2 AND kind = 'plan' ORDER BY id",
              "artifacts_by_workflow");
}

// An execution's totals, refreshed at every checkpoint of a run, read only
// that execution's calls: never every call of the tenant (llm_calls_by_model
// would serve the models' DISTINCT ... ORDER BY without a sort, at the cost
// of a scan of the tenant's whole history, growing with every execution).
TEST_F(IndexesTest, AnExecutionsTotalsReadOnlyItsOwnCalls) {
  expectIndex(sql::kExecutionModelsSql, "llm_calls_by_execution");
  expectIndex(sql::kExecutionTotalsSql, "llm_calls_by_execution");
}

// The llm_calls indexes over a nullable reference are partial (rows without
// the reference are left out, migration 3); a lookup naming a value still
// searches them, for the listings and for the foreign keys' actions when a
// conversation, execution or call is deleted.
TEST_F(IndexesTest, PartialLlmCallIndexesServeLookupsByAValue) {
  for (const char* index :
       {"llm_calls_by_conversation", "llm_calls_by_execution", "llm_calls_by_api_key", "llm_calls_by_fallback"}) {
    auto conn = sqlite::SqliteConnection::open(dbPath(), {});
    ASSERT_TRUE(conn.ok());
    auto partial = sql::fetchInt(**conn, "SELECT partial FROM pragma_index_list('llm_calls') WHERE name = ?",
                                 {std::string(index)});
    ASSERT_TRUE(partial.ok());
    EXPECT_EQ(*partial, 1) << index;
  }
  expectIndex("SELECT 1 FROM llm_calls WHERE tenant_id = 1 AND conversation_id = 2", "llm_calls_by_conversation");
  expectIndex("SELECT 1 FROM llm_calls WHERE tenant_id = 1 AND execution_id = 2", "llm_calls_by_execution");
  expectIndex("SELECT 1 FROM llm_calls WHERE fallback_of = 2", "llm_calls_by_fallback");
  expectIndex("SELECT count(*) FROM llm_calls WHERE tenant_id = 1 AND conversation_id = 2",
              "llm_calls_by_conversation");
}

}  // namespace
}  // namespace codecrew::store::testing
