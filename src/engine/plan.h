// Plan: the planner's output as a DAG of tasks (SPEC §3, seed 003/004): each
// task has an id, a title, a description, the files it expects to touch and
// the ids it depends on. parsePlan validates the JSON against the plan schema
// and then the graph itself (unique ids, known dependencies, no cycles).
// Thread-safety: plain values; functions are pure.
#pragma once

#include "core/result.h"

#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace codecrew::engine {

struct PlanTask {
  std::string id;
  std::string title;
  std::string description;
  std::vector<std::string> files;
  std::vector<std::string> depends_on;
};

struct Plan {
  std::string summary;
  std::vector<PlanTask> tasks;  // in the planner's order

  const PlanTask* task(const std::string& id) const;
  // Task ids in an order where every task comes after its dependencies.
  std::vector<std::string> topologicalOrder() const;
  boost::json::object toJson() const;
};

// kInvalidArgument with the schema violations, a duplicate id, an unknown
// dependency, or the ids on a cycle.
core::Result<Plan> parsePlan(const boost::json::value& json);

}  // namespace codecrew::engine
