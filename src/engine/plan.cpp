#include "engine/plan.h"

#include "engine/output_schemas.h"
#include "tools/tool_registry.h"

#include <map>
#include <set>

namespace codecrew::engine {
namespace {

std::vector<std::string> strings(const boost::json::value* v) {
  std::vector<std::string> out;
  if (v && v->is_array())
    for (const auto& s : v->as_array()) out.emplace_back(s.as_string());
  return out;
}

std::string getString(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// Kahn's algorithm; returns the ids left over when there is a cycle.
std::vector<std::string> kahn(const std::vector<PlanTask>& tasks, std::vector<std::string>& order) {
  std::map<std::string, int> indegree;
  std::map<std::string, std::vector<std::string>> dependents;
  for (const auto& t : tasks) {
    indegree[t.id] += 0;
    for (const auto& d : t.depends_on) {
      ++indegree[t.id];
      dependents[d].push_back(t.id);
    }
  }
  std::vector<std::string> ready;
  for (const auto& t : tasks)
    if (indegree[t.id] == 0) ready.push_back(t.id);
  for (std::size_t i = 0; i < ready.size(); ++i) {
    order.push_back(ready[i]);
    for (const auto& dep : dependents[ready[i]])
      if (--indegree[dep] == 0) ready.push_back(dep);
  }
  std::vector<std::string> left;
  for (const auto& t : tasks)
    if (indegree[t.id] > 0) left.push_back(t.id);
  return left;
}

}  // namespace

const PlanTask* Plan::task(const std::string& id) const {
  for (const auto& t : tasks)
    if (t.id == id) return &t;
  return nullptr;
}

std::vector<std::string> Plan::topologicalOrder() const {
  std::vector<std::string> order;
  kahn(tasks, order);
  return order;
}

boost::json::object Plan::toJson() const {
  boost::json::array arr;
  for (const auto& t : tasks) {
    boost::json::array files(t.files.begin(), t.files.end());
    boost::json::array deps(t.depends_on.begin(), t.depends_on.end());
    arr.push_back(boost::json::object{{"id", t.id},
                                      {"title", t.title},
                                      {"description", t.description},
                                      {"files", std::move(files)},
                                      {"depends_on", std::move(deps)}});
  }
  return boost::json::object{{"summary", summary}, {"tasks", std::move(arr)}};
}

core::Result<Plan> parsePlan(const boost::json::value& json) {
  if (auto ok = tools::validateAgainstSchema(outputSchema(OutputKind::kPlan), json); !ok) {
    core::Error e = ok.error();
    e.message = "the plan does not match its schema: " + e.message;
    return e;
  }
  Plan plan;
  const auto& o = json.as_object();
  plan.summary = getString(o, "summary");
  std::set<std::string> ids;
  for (const auto& item : o.at("tasks").as_array()) {
    const auto& t = item.as_object();
    PlanTask task{getString(t, "id"), getString(t, "title"), getString(t, "description"),
                  strings(t.if_contains("files")), strings(t.if_contains("depends_on"))};
    if (!ids.insert(task.id).second) return core::Error::invalidArgument("the plan repeats task id " + task.id);
    plan.tasks.push_back(std::move(task));
  }
  for (const auto& t : plan.tasks)
    for (const auto& d : t.depends_on)
      if (!ids.count(d) || d == t.id)
        return core::Error::invalidArgument("task " + t.id + " depends on unknown task " + d);
  std::vector<std::string> order;
  auto cycle = kahn(plan.tasks, order);
  if (!cycle.empty()) {
    std::string list;
    for (const auto& id : cycle) list += (list.empty() ? "" : ", ") + id;
    return core::Error::invalidArgument("the plan has a dependency cycle among: " + list);
  }
  return plan;
}

}  // namespace codecrew::engine
