#include "engine/checkpoint.h"

#include <boost/json/serialize.hpp>

namespace codecrew::engine {
namespace json = boost::json;

namespace {

json::array strings(const std::set<std::string>& s) { return json::array(s.begin(), s.end()); }

std::set<std::string> stringSet(const json::value* v) {
  std::set<std::string> out;
  if (v && v->is_array())
    for (const auto& s : v->as_array()) out.emplace(s.as_string());
  return out;
}

json::object stringMap(const std::map<std::string, std::string>& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

std::map<std::string, std::string> stringMapOf(const json::value* v) {
  std::map<std::string, std::string> out;
  if (v && v->is_object())
    for (const auto& [k, s] : v->as_object()) out[std::string(k)] = std::string(s.as_string());
  return out;
}

std::string str(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

json::object ExecutionCheckpoint::toJson() const {
  json::object visits_json, progress_json, agents_json;
  for (const auto& [k, v] : visits) visits_json[k] = v;
  for (const auto& [k, p] : progress)
    progress_json[k] = json::object{{"tasks_done", strings(p.tasks_done)}, {"plan_done", stringMap(p.plan_done)}};
  for (const auto& [k, a] : agents) agents_json[k] = a;
  json::object o{{"version", kCheckpointVersion},
                 {"lifecycle", lifecycle},
                 {"budget", budget},
                 {"branch", branch},
                 {"base_commit", base_commit},
                 {"visits", std::move(visits_json)},
                 {"progress", std::move(progress_json)},
                 {"agents", std::move(agents_json)},
                 {"outputs", stringMap(outputs)},
                 {"gates_passed", strings(gates_passed)},
                 {"feedback", feedback},
                 {"commits", stringMap(commits)},
                 {"resumable_failure", resumable_failure},
                 {"delivered", delivered},
                 {"follow_up", follow_up}};
  if (workspace_log.held())
    o["workspace_log"] = json::object{{"head", workspace_log.head},
                                      {"steps", workspace_log.steps},
                                      {"base_in_store", workspace_log.base_in_store},
                                      {"changes", workspace_log.changes},
                                      {"copy", workspace_log.copy}};
  if (plan) o["plan"] = plan->toJson();
  if (approval)
    o["approval"] = json::object{{"id", approval->id},
                                 {"gate", approval->gate},
                                 {"step", approval->step},
                                 {"scope", approval->scope}};
  return o;
}

core::Result<ExecutionCheckpoint> ExecutionCheckpoint::fromJson(const json::value& v) {
  const auto* o = v.if_object();
  if (!o) return core::Error::invalidArgument("checkpoint is not an object");
  if (const auto* version = o->if_contains("version");
      version && !(version->is_number() && version->to_number<double>() == kCheckpointVersion))
    return core::Error::invalidArgument("checkpoint version " + json::serialize(*version) +
                                        " is not one this server reads (" + std::to_string(kCheckpointVersion) + ")");
  ExecutionCheckpoint c;
  if (const auto* l = o->if_contains("lifecycle")) c.lifecycle = *l;
  if (const auto* b = o->if_contains("budget")) c.budget = *b;
  c.branch = str(*o, "branch");
  c.base_commit = str(*o, "base_commit");
  if (const auto* p = o->if_contains("plan")) {
    auto plan = parsePlan(*p);
    if (!plan) return plan.error();
    c.plan = std::move(plan).value();
  }
  if (const auto* vs = o->if_contains("visits"); vs && vs->is_object())
    for (const auto& [k, n] : vs->as_object()) c.visits[std::string(k)] = static_cast<int>(n.to_number<std::int64_t>());
  if (const auto* ps = o->if_contains("progress"); ps && ps->is_object())
    for (const auto& [k, p] : ps->as_object())
      c.progress[std::string(k)] = StageProgress{stringSet(p.as_object().if_contains("tasks_done")),
                                                 stringMapOf(p.as_object().if_contains("plan_done"))};
  if (const auto* as = o->if_contains("agents"); as && as->is_object())
    for (const auto& [k, a] : as->as_object()) c.agents[std::string(k)] = a;
  c.outputs = stringMapOf(o->if_contains("outputs"));
  c.gates_passed = stringSet(o->if_contains("gates_passed"));
  c.feedback = str(*o, "feedback");
  c.commits = stringMapOf(o->if_contains("commits"));
  c.delivered = str(*o, "delivered");
  c.follow_up = str(*o, "follow_up");
  if (const auto* w = o->if_contains("workspace_log"); w && w->is_object()) {
    const auto& wo = w->as_object();
    c.workspace_log.head = str(wo, "head");
    c.workspace_log.changes = str(wo, "changes");
    c.workspace_log.copy = str(wo, "copy");
    if (const auto* n = wo.if_contains("steps"); n && n->is_number())
      c.workspace_log.steps = static_cast<int>(n->to_number<std::int64_t>());
    if (const auto* b = wo.if_contains("base_in_store"); b && b->is_bool())
      c.workspace_log.base_in_store = b->as_bool();
  }
  if (const auto* r = o->if_contains("resumable_failure"); r && r->is_bool()) c.resumable_failure = r->as_bool();
  if (const auto* a = o->if_contains("approval"); a && a->is_object()) {
    const auto* id = a->as_object().if_contains("id");
    if (!id || !id->is_number()) return core::Error::invalidArgument("checkpoint's pending approval has no id");
    const auto& ao = a->as_object();
    c.approval = PendingApproval{ao.at("id").to_number<core::Id>(), str(ao, "gate"), str(ao, "step"), str(ao, "scope")};
  }
  return c;
}

}  // namespace codecrew::engine
