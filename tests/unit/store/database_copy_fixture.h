// What the database copy's tests share (database_copy_test.cpp): reading
// every row of every copied table of a database as text, and filling a
// source with a few of every object through the Store API.
#pragma once

#include "store/sql/database_copy.h"
#include "store/sql/migrations.h"
#include "store/sql/query_support.h"
#include "store_fixture.h"

#include <fmt/core.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace codecrew::store::testing {

using sql::Column;
using sql::ColumnKind;
using sql::Connection;

inline std::string sqliteUrl(const std::filesystem::path& absolute) { return "sqlite:///" + absolute.string(); }

// Every row of every copied table, each value as text (NULL, integers,
// doubles in their shortest exact form, 'text'), in id order.
using Dump = std::map<std::string, std::vector<std::vector<std::string>>>;
using Schema = std::map<std::string, std::vector<Column>>;

inline Schema columnsOf(sql::Database& db) {
  Schema out;
  Status st = db.read([&](Connection& c) -> Status {
    for (const auto& t : sql::copiedTables()) {
      auto cols = sql::tableColumns(c, t.name);
      if (!cols.ok()) return std::move(cols).error();
      out[std::string(t.name)] = std::move(cols).value();
    }
    return {};
  });
  EXPECT_TRUE(st.ok()) << st.error().message;
  return out;
}

// db's rows of the columns schema names (the source's, so both sides are
// read alike).
inline Dump dump(sql::Database& db, const Schema& schema) {
  Dump out;
  Status st = db.read([&](Connection& c) -> Status {
    for (const auto& [table, cols] : schema) {
      std::string sql = "SELECT ";
      for (std::size_t i = 0; i < cols.size(); ++i) sql += (i ? ", \"" : "\"") + cols[i].name + "\"";
      sql += " FROM \"" + table + "\" ORDER BY id";
      auto q = c.prepare(sql);
      if (!q.ok()) return std::move(q).error();
      auto& rows = out[table];
      while (true) {
        auto row = q->step();
        if (!row.ok()) return std::move(row).error();
        if (!*row) break;
        std::vector<std::string> values;
        for (std::size_t i = 0; i < cols.size(); ++i) {
          const int col = static_cast<int>(i);
          if (q->isNull(col)) values.push_back("NULL");
          else if (cols[i].kind == ColumnKind::kInteger) values.push_back(std::to_string(q->i64(col)));
          else if (cols[i].kind == ColumnKind::kReal) values.push_back(fmt::format("{}", q->f64(col)));
          else values.push_back("'" + q->text(col) + "'");
        }
        rows.push_back(std::move(values));
      }
    }
    return {};
  });
  EXPECT_TRUE(st.ok()) << st.error().message;
  return out;
}

inline std::int64_t maxId(const Dump& d, const std::string& table) {
  std::int64_t out = 0;
  for (const auto& row : d.at(table)) out = std::max<std::int64_t>(out, std::stoll(row[0]));
  return out;
}

inline std::size_t rowCount(const Dump& d) {
  std::size_t n = 0;
  for (const auto& [table, rows] : d) n += rows.size();
  return n;
}

// The ids of what fillSource made that the tests read back.
struct Made {
  Id acme = 0, globex = 0;
  Id revoked_key = 0, used_key = 0;
  Id wf1 = 0, wf3 = 0;
  Id ex1 = 0;
  Id session = 0;
  std::vector<Id> calls;
};

// A few of every object, through the Store API (and one raw update: an
// llm_call standing in for a later one, which only the copy's deferred
// self-reference can carry across batches).
inline Made fillSource(Store& s, core::FakeClock& clock, sql::Database& raw) {
  Made m;
  m.acme = s.ensureTenant("acme")->id;
  m.globex = s.ensureTenant("globex \"quoted\"")->id;

  ApiKey key;
  key.tenant_id = m.acme;
  key.name = "ci";
  key.prefix = "cc_abc";
  key.key_hash = "hash-1";
  key.role = Role::kAdmin;
  m.used_key = s.createApiKey(key)->id;
  key.key_hash = "hash-2";
  key.role = Role::kViewer;
  m.revoked_key = s.createApiKey(key)->id;
  key.tenant_id = m.globex;
  key.key_hash = "hash-3";
  EXPECT_TRUE(s.createApiKey(key).ok());
  clock.advance(std::chrono::seconds(3));
  EXPECT_TRUE(s.revokeApiKey(m.revoked_key).ok());
  EXPECT_TRUE(s.touchApiKey(m.used_key, clock.nowMillis()).ok());

  for (int i = 0; i < 3; ++i) {
    AuditEntry a;
    a.tenant_id = i == 2 ? m.globex : m.acme;
    a.api_key_id = i == 0 ? std::optional<Id>(m.used_key) : std::nullopt;
    a.action = "workflow.create";
    a.method = "POST";
    a.path = "/workflows";
    a.status = 201;
    a.request_id = "req-" + std::to_string(i);
    a.details = boost::json::object{{"i", i}, {"note", "line one\nline 'two' é"}};
    EXPECT_TRUE(s.appendAudit(a).ok());
  }

  Project p;
  p.tenant_id = m.acme;
  p.name = "shop";
  p.repository_url = "https://github.com/acme/shop";
  p.budgets = boost::json::object{{"max_cost", 2.5}};
  const Id project = s.createProject(p)->id;

  Workflow w;
  w.tenant_id = m.acme;
  w.project_id = project;
  w.name = "login";
  w.description = "Add a login page";
  w.jira_story_id = "PROJ-1";
  w.inputs = boost::json::object{{"topic", "auth"}};
  m.wf1 = s.createWorkflow(w)->value.id;
  w.project_id = std::nullopt;
  w.jira_story_id = std::nullopt;
  w.name = "logout";
  EXPECT_TRUE(s.createWorkflow(w).ok());
  w.tenant_id = m.globex;
  w.name = "theirs";
  m.wf3 = s.createWorkflow(w)->value.id;

  m.ex1 = s.createExecution(m.acme, m.wf1, std::string("first-run"), boost::json::object{{"label", "a"}})->value.id;
  const Id ex2 = s.createExecution(m.acme, m.wf1, std::nullopt, boost::json::object{})->value.id;
  const Id ex3 = s.createExecution(m.globex, m.wf3, std::nullopt, boost::json::object{})->value.id;
  auto e = s.getExecutionById(m.acme, m.ex1);
  e->status = RunStatus::kRunning;
  e->stage = Stage::kPlanning;
  e->started_at = clock.nowMillis();
  e->workspace = "/srv/codecrew/workspaces/t1/e1";
  e->checkpoint = boost::json::object{{"step", 3}, {"done", boost::json::array{"plan"}}};
  e->api_key_id = m.used_key;
  EXPECT_TRUE(s.updateExecution(*e).ok());
  auto claimed = s.claimJobAttempt(m.acme, m.ex1, "worker-a");
  EXPECT_TRUE(claimed.ok()) << (claimed.ok() ? "" : claimed.error().message);
  EXPECT_TRUE(s.claimJobAttempt(m.globex, ex3, "worker-b").ok());

  Conversation c;
  c.tenant_id = m.acme;
  c.workflow_id = m.wf1;
  c.execution_id = m.ex1;
  c.agent = "planner";
  c.step = "plan";
  c.prompt = "Plan it";
  c.output = "1. do";
  const Id conv1 = s.createConversation(c)->id;
  c.agent = "developer";
  c.execution_id = ex2;
  const Id conv2 = s.createConversation(c)->id;
  const std::vector<std::pair<Id, std::string>> messages = {{conv1, "system"}, {conv1, "user"}, {conv2, "assistant"}};
  for (const auto& [conv, role] : messages) {
    Message msg;
    msg.tenant_id = m.acme;
    msg.conversation_id = conv;
    msg.role = role;
    msg.content = "content of " + role;
    msg.message_metadata = boost::json::object{{"k", role}};
    EXPECT_TRUE(s.addMessage(msg).ok());
  }

  for (int i = 0; i < 4; ++i) {
    LlmCall call;
    call.tenant_id = m.acme;
    call.conversation_id = i < 2 ? std::optional<Id>(conv1) : std::nullopt;
    call.execution_id = m.ex1;
    call.api_key_id = i == 3 ? std::optional<Id>(m.used_key) : std::nullopt;
    call.provider = "openai";
    call.model = i % 2 ? "gpt-4.1" : "gpt-4.1-mini";
    call.prompt_tokens = 1'000'000'000'000LL + i;
    call.completion_tokens = 7;
    call.total_tokens = call.prompt_tokens + 7;
    call.max_tokens = i == 0 ? std::optional<std::int64_t>(4096) : std::nullopt;
    call.response_time_ms = 12.75 + i;
    call.cost = 0.1 + 0.2 * i;  // not exact in binary: must survive as it is
    call.timestamp = clock.nowMillis() + i;
    call.request_data = boost::json::object{{"prompt", "hi " + std::to_string(i)}};
    call.attempt = i + 1;
    if (i == 2) call.fallback_of = m.calls[1];  // an earlier call
    auto inserted = s.insertLlmCall(call);
    EXPECT_TRUE(inserted.ok()) << (inserted.ok() ? "" : inserted.error().message);
    m.calls.push_back(inserted.ok() ? inserted->id : 0);
  }
  Status later = raw.write([&](Connection& conn) -> Status {
    auto q = conn.prepare("UPDATE llm_calls SET fallback_of = ? WHERE id = ?");
    if (!q.ok()) return std::move(q).error();
    q->bind(m.calls[3], m.calls[0]);
    return q->run();
  });
  EXPECT_TRUE(later.ok()) << later.error().message;

  CodeFile f;
  f.tenant_id = m.acme;
  f.workflow_id = m.wf1;
  f.conversation_id = conv1;
  f.execution_id = m.ex1;
  f.filename = "src/login.py";
  f.content = "def login():\n    return \"ok\"\n";
  f.file_type = "python";
  EXPECT_TRUE(s.addCodeFile(f).ok());
  f.filename = "README.md";
  f.conversation_id = std::nullopt;
  EXPECT_TRUE(s.addCodeFile(f).ok());
  Diff d;
  d.tenant_id = m.acme;
  d.workflow_id = m.wf1;
  d.execution_id = m.ex1;
  d.path = "src/login.py";
  d.diff = "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n";
  EXPECT_TRUE(s.addDiff(d).ok());
  d.execution_id = std::nullopt;
  EXPECT_TRUE(s.addDiff(d).ok());
  Artifact a;
  a.tenant_id = m.acme;
  a.workflow_id = m.wf1;
  a.execution_id = m.ex1;
  a.kind = "plan";
  a.content = "# Plan";
  EXPECT_TRUE(s.addArtifact(a).ok());
  a.kind = "review";
  EXPECT_TRUE(s.addArtifact(a).ok());

  Approval ap;
  ap.tenant_id = m.acme;
  ap.workflow_id = m.wf1;
  ap.execution_id = m.ex1;
  ap.gate = "after:PLANNING";
  const Id decided = s.createApproval(ap)->id;
  ap.gate = "before:DEPLOY";
  EXPECT_TRUE(s.createApproval(ap).ok());
  EXPECT_TRUE(s.decideApproval(m.acme, decided, Decision::kRequestChanges, "alice", "add tests").ok());

  PullRequest pr;
  pr.tenant_id = m.acme;
  pr.workflow_id = m.wf1;
  pr.number = 12;
  pr.state = "open";
  pr.head_branch = "codecrew/1";
  pr.head_sha = "abc";
  pr.repository = "acme/shop";
  pr.draft = true;
  pr.fingerprints = boost::json::array{"f1"};
  const Id pr_id = s.upsertPullRequest(pr)->id;
  for (const char* name : {"unit", "lint"}) {
    Check ck;
    ck.tenant_id = m.acme;
    ck.pull_request_id = pr_id;
    ck.name = name;
    ck.status = "completed";
    ck.conclusion = "failure";
    ck.head_sha = "abc";
    EXPECT_TRUE(s.upsertCheck(ck).ok());
  }

  for (int i = 0; i < 5; ++i) {
    Event ev;
    ev.tenant_id = m.acme;
    ev.workflow_id = m.wf1;
    ev.execution_id = i ? std::optional<Id>(m.ex1) : std::nullopt;
    ev.type = "execution.status";
    ev.data = boost::json::object{{"i", i}};
    EXPECT_TRUE(s.appendEvent(ev).ok());
    ev.tenant_id = m.globex;  // interleaved: seqs are per workflow, ids global
    ev.workflow_id = m.wf3;
    ev.execution_id = std::nullopt;
    if (i < 2) {
      EXPECT_TRUE(s.appendEvent(ev).ok());
    }
  }

  CrewSession cs;
  cs.tenant_id = m.acme;
  cs.name = "demo";
  cs.expires_at = clock.nowMillis() + 86'400'000;
  m.session = s.createSession(cs)->id;
  SessionFile one;
  one.path = "a.py";
  one.content = "print(1)\n";
  SessionFile two;
  two.path = "dir/b.txt";
  two.content = "héllo";
  EXPECT_TRUE(s.writeSessionFiles(m.acme, m.session, {one, two}, {}, cs.expires_at).ok());

  for (const char* id : {"d-1", "d-2"}) {
    WebhookDelivery wd;
    wd.delivery_id = id;
    wd.event = "check_run";
    wd.action = "completed";
    wd.repository = "acme/shop";
    wd.outcome = "queued";
    EXPECT_TRUE(s.recordWebhookDelivery(wd).ok());
  }

  WorkspaceStep step;
  step.tenant_id = m.acme;
  step.execution_id = m.ex1;
  step.seq = 1;
  step.commit = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
  step.object = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\nfirst\n";
  step.patch = "";
  EXPECT_TRUE(s.addWorkspaceStep(step).ok());
  step.patch = "diff --git a/x b/x\n+héllo\n";
  EXPECT_TRUE(s.setWorkspaceChanges(step).ok());
  return m;
}

}  // namespace codecrew::store::testing
