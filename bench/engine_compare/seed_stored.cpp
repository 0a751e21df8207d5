// engine_seed_stored: fills a codecrew store with COUNT finished executions
// for make bench-engine's second phase (the engine's cost per step with many
// executions stored). It copies, through the Store (store/store.h), one
// execution the real server ran on that same store: every row the engine
// and the API wrote for it (workflow, execution with its checkpoint, job and
// attempt, conversations, messages, LLM calls with their request and
// response data, events, artifacts, workspace steps, audit entries), each
// copy under new ids, its ids inside JSON (conversation_id, llm_call_id,
// execution_id, workflow_id) and its branch name remapped. So the stored
// executions are what the engine writes, by construction, whatever the
// engine writes now. Copies are written 100 per transaction.
//
//   engine_seed_stored (--data-dir DIR | --database-url URL) --tenant NAME --count COUNT
//
// The template is a completed execution of the tenant's; the copies bring the
// tenant's completed workflows (one execution each here) to COUNT (nothing is
// written when there are already that many). Prints {"template", "written", "seconds"} as JSON.
#include "core/clock.h"
#include "store/store.h"
#include "store/store_factory.h"

#include <boost/json.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace {
namespace json = boost::json;
namespace store = codecrew::store;
using codecrew::core::Id;
using codecrew::core::Status;

// Everything stored for one execution.
struct Template {
  store::Workflow workflow;
  store::Execution execution;
  store::ExecutionJob job;
  std::vector<store::JobAttempt> attempts;
  std::vector<store::Conversation> conversations;
  std::map<Id, std::vector<store::Message>> messages;  // by conversation
  std::vector<store::LlmCall> calls;
  std::vector<store::Event> events;
  std::vector<store::Artifact> artifacts;
  std::vector<store::WorkspaceStep> steps;
  std::vector<store::AuditEntry> audit;
};

template <typename T>
T orDie(codecrew::core::Result<T> r, const char* what) {
  if (!r) {
    std::cerr << "engine_seed_stored: " << what << ": " << r.error().message << "\n";
    std::exit(1);
  }
  return std::move(*r);
}

codecrew::core::Result<Template> readTemplate(store::Store& db, Id tenant, Id workflow_id, Id execution_id) {
  Template t;
  auto w = db.getWorkflow(tenant, workflow_id);
  if (!w) return w.error();
  t.workflow = *w;
  auto e = db.getExecutionById(tenant, execution_id);
  if (!e) return e.error();
  t.execution = *e;
  auto job = db.getJobForExecution(tenant, execution_id);
  if (!job) return job.error();
  t.job = *job;
  auto attempts = db.listJobAttempts(tenant, job->id);
  if (!attempts) return attempts.error();
  t.attempts = *attempts;
  auto convs = db.listConversations(tenant, workflow_id);
  if (!convs) return convs.error();
  for (const auto& c : *convs) {
    if (c.execution_id != execution_id) continue;
    t.conversations.push_back(c);
    auto ms = db.listMessages(tenant, c.id);
    if (!ms) return ms.error();
    t.messages[c.id] = *ms;
  }
  store::LlmCallQuery q;
  q.execution_id = execution_id;
  q.sort_by = "id";
  q.descending = false;
  q.page.page_size = 200;
  for (q.page.page = 1;; ++q.page.page) {
    auto page = db.listLlmCalls(tenant, q);
    if (!page) return page.error();
    for (auto& c : page->items) t.calls.push_back(std::move(c));
    if (page->items.size() < static_cast<std::size_t>(q.page.page_size)) break;
  }
  for (std::int64_t after = 0;;) {
    auto evs = db.listEvents(tenant, workflow_id, after, 500);
    if (!evs) return evs.error();
    if (evs->empty()) break;
    for (auto& ev : *evs) {
      after = ev.seq;
      if (ev.execution_id == execution_id) t.events.push_back(std::move(ev));
    }
  }
  store::PageRequest all{1, 200};
  auto arts = db.listArtifacts(tenant, workflow_id, execution_id, std::nullopt, all);
  if (!arts) return arts.error();
  t.artifacts = arts->items;
  auto steps = db.listWorkspaceSteps(tenant, execution_id);
  if (!steps) return steps.error();
  t.steps = *steps;
  // The API's audit entries of this workflow (its creation and the start).
  std::string wf_path = "/workflows/" + std::to_string(workflow_id);
  bool have_create = false;
  for (all.page = 1;; ++all.page) {
    auto audit = db.listAudit(tenant, all);
    if (!audit) return audit.error();
    for (auto& a : audit->items) {
      bool create = a.action == "workflow.create" && a.path == "/workflows" && !have_create;
      if (create || a.path.rfind(wf_path + "/", 0) == 0) t.audit.push_back(std::move(a));
      have_create = have_create || create;
    }
    if (audit->items.size() < static_cast<std::size_t>(all.page_size)) break;
  }
  return t;
}

std::string replaceAll(std::string s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size())
    s.replace(at, from.size(), to);
  return s;
}

// New ids for one copy, and the rewriting of text and JSON that name old ones.
struct Remap {
  Id old_workflow = 0, new_workflow = 0, old_execution = 0, new_execution = 0;
  std::map<Id, Id> conversations, calls;

  std::string text(const std::string& s) const {
    return replaceAll(s, "execution-" + std::to_string(old_execution), "execution-" + std::to_string(new_execution));
  }
  static Id mapped(const std::map<Id, Id>& m, Id id) {
    auto it = m.find(id);
    return it == m.end() ? id : it->second;
  }
  json::value value(const json::value& v) const {
    if (v.is_string()) return json::value(text(std::string(v.as_string())));
    if (v.is_array()) {
      json::array out;
      for (const auto& x : v.as_array()) out.push_back(value(x));
      return out;
    }
    if (!v.is_object()) return v;
    json::object out;
    for (const auto& [k, x] : v.as_object()) {
      if (x.is_int64() && k == "conversation_id") out[k] = mapped(conversations, x.as_int64());
      else if (x.is_int64() && k == "llm_call_id") out[k] = mapped(calls, x.as_int64());
      else if (x.is_int64() && k == "execution_id" && x.as_int64() == old_execution) out[k] = new_execution;
      else if (x.is_int64() && k == "workflow_id" && x.as_int64() == old_workflow) out[k] = new_workflow;
      else out[k] = value(x);
    }
    return out;
  }
};

Status writeCopy(store::Store& db, const Template& t, int n) {
  Id tenant = t.workflow.tenant_id;
  Remap r;
  r.old_workflow = t.workflow.id;
  r.old_execution = t.execution.id;
  store::Workflow w = t.workflow;
  w.name = "stored " + std::to_string(n);
  w.description = "A tiny word counter, stored variant " + std::to_string(n);
  auto wf = db.createWorkflow(w);
  if (!wf) return wf.error();
  r.new_workflow = wf->value.id;
  auto created = db.createExecution(tenant, r.new_workflow, std::nullopt, t.execution.meta);
  if (!created) return created.error();
  r.new_execution = created->value.id;
  auto attempt = db.claimJobAttempt(tenant, r.new_execution, t.attempts.empty() ? "seed" : t.attempts.front().worker);
  if (!attempt) return attempt.error();

  for (const auto& c : t.conversations) {
    store::Conversation copy = c;
    copy.workflow_id = r.new_workflow;
    copy.execution_id = r.new_execution;
    auto made = db.createConversation(copy);
    if (!made) return made.error();
    r.conversations[c.id] = made->id;
    copy.id = made->id;
    if (auto u = db.updateConversation(copy); !u) return u.error();  // output and totals, as the engine ends a step
  }
  for (const auto& c : t.calls) {
    store::LlmCall copy = c;
    copy.execution_id = r.new_execution;
    if (c.conversation_id) copy.conversation_id = Remap::mapped(r.conversations, *c.conversation_id);
    copy.request_data = r.value(c.request_data);
    copy.response_data = r.value(c.response_data);
    auto made = db.insertLlmCall(copy);
    if (!made) return made.error();
    r.calls[c.id] = made->id;
  }
  for (const auto& [conv, ms] : t.messages)
    for (const auto& m : ms) {
      store::Message copy = m;
      copy.conversation_id = r.conversations.at(conv);
      copy.message_metadata = r.value(m.message_metadata);
      if (auto made = db.addMessage(copy); !made) return made.error();
    }
  for (const auto& e : t.events) {
    store::Event copy = e;
    copy.workflow_id = r.new_workflow;
    copy.execution_id = r.new_execution;
    copy.data = r.value(e.data);
    if (auto made = db.appendEvent(copy); !made) return made.error();
  }
  for (const auto& a : t.artifacts) {
    store::Artifact copy = a;
    copy.workflow_id = r.new_workflow;
    copy.execution_id = r.new_execution;
    copy.uri = r.text(a.uri);
    if (auto made = db.addArtifact(copy); !made) return made.error();
  }
  for (const auto& s : t.steps) {
    store::WorkspaceStep copy = s;
    copy.execution_id = r.new_execution;
    if (auto made = db.addWorkspaceStep(copy); !made) return made.error();
  }
  for (const auto& a : t.audit) {
    store::AuditEntry copy = a;
    copy.path = replaceAll(a.path, "/workflows/" + std::to_string(r.old_workflow),
                           "/workflows/" + std::to_string(r.new_workflow));
    copy.details = r.value(a.details);
    if (auto st = db.appendAudit(copy); !st) return st;
  }

  store::Execution e = t.execution;
  e.id = r.new_execution;
  e.workflow_id = r.new_workflow;
  e.checkpoint = r.value(t.execution.checkpoint);
  e.workspace = r.text(t.execution.workspace) + "-stored-" + std::to_string(n);
  if (auto u = db.updateExecution(e); !u) return u.error();
  auto job = db.getJobForExecution(tenant, r.new_execution);
  if (!job) return job.error();
  job->status = t.job.status;
  if (auto u = db.updateJob(*job); !u) return u.error();
  store::JobAttempt done = *attempt;
  done.status = t.attempts.empty() ? store::AttemptStatus::kSucceeded : t.attempts.front().status;
  done.finished_at = t.attempts.empty() ? std::nullopt : t.attempts.front().finished_at;
  if (auto u = db.updateJobAttempt(done); !u) return u.error();
  if (auto u = db.updateWorkflowStatus(tenant, r.new_workflow, store::RunStatus::kCompleted); !u) return u.error();
  return {};
}

int usage() {
  std::cerr << "usage: engine_seed_stored (--data-dir DIR | --database-url URL) --tenant NAME --count COUNT\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir, url, tenant_name;
  long count = -1;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--data-dir") data_dir = argv[i + 1];
    else if (a == "--database-url") url = argv[i + 1];
    else if (a == "--tenant") tenant_name = argv[i + 1];
    else if (a == "--count") count = std::atol(argv[i + 1]);
    else return usage();
  }
  if (argc % 2 == 0 || data_dir.empty() == url.empty() || tenant_name.empty() || count < 1) return usage();
  auto clock = codecrew::core::SystemClock::instance();
  auto db = url.empty() ? orDie(store::openSqliteStore(data_dir + "/codecrew.db", clock), "open")
                        : orDie(store::openPostgresStore(url, clock), "open");
  auto tenant = orDie(db->findTenantByName(tenant_name), "tenant");
  if (!tenant) {
    std::cerr << "engine_seed_stored: no tenant " << tenant_name << "\n";
    return 1;
  }
  // The tenant's completed workflows (one execution each in this benchmark);
  // the template is the newest execution of the first page's newest workflow.
  store::WorkflowFilter filter;
  filter.page.page_size = 200;
  filter.status = store::RunStatus::kCompleted;
  auto page = orDie(db->listWorkflows(tenant->id, filter), "workflows");
  long completed = static_cast<long>(page.total);
  Id template_workflow = 0, template_execution = 0;
  std::vector<Id> ids;
  for (const auto& w : page.items) ids.push_back(w.id);
  for (const auto& e : orDie(db->latestExecutions(tenant->id, ids), "executions"))
    if (e.status == store::RunStatus::kCompleted && e.id > template_execution) {
      template_execution = e.id;
      template_workflow = e.workflow_id;
    }
  if (template_execution == 0) {
    std::cerr << "engine_seed_stored: the tenant has no completed execution to copy\n";
    return 1;
  }
  auto t = orDie(readTemplate(*db, tenant->id, template_workflow, template_execution), "template");
  auto t0 = std::chrono::steady_clock::now();
  long written = 0;
  while (completed + written < count) {
    long batch = std::min<long>(100, count - completed - written);
    auto st = db->transact([&](store::Store& tx) -> Status {
      for (long k = 0; k < batch; ++k)
        if (auto s = writeCopy(tx, t, static_cast<int>(completed + written + k)); !s) return s;
      return {};
    });
    if (!st) {
      std::cerr << "engine_seed_stored: " << st.error().message << "\n";
      return 1;
    }
    written += batch;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << json::serialize(json::object{{"template", template_execution},
                                            {"conversations", t.conversations.size()},
                                            {"llm_calls", t.calls.size()},
                                            {"events", t.events.size()},
                                            {"artifacts", t.artifacts.size()},
                                            {"workspace_steps", t.steps.size()},
                                            {"written", written},
                                            {"seconds", seconds}})
            << std::endl;
  return 0;
}
