// Rendering of a crew template (engine::CrewSpec) as the JSON of GET /crews:
// {name, description, stages: [{name, agents, tasks: [...]}], agents: [{name,
// role, goal, model, cheaper_model?, tools, max_iterations}], gates, budgets,
// limits}. Agents come in the order the stages first use them, then unused ones.
// Thread-safety: pure functions.
#pragma once

#include "engine/crew.h"

#include <boost/json/object.hpp>

namespace codecrew::api {

boost::json::object crewToJson(const engine::CrewSpec& crew);

}  // namespace codecrew::api
