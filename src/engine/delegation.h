// Delegation, as CrewAI's allow_delegation gives it: an agent that may
// delegate is offered two tools, delegate_work (a task for a coworker) and
// ask_question (a question for one), each taking the coworker (its role or
// name, case and surrounding space ignored), the task or question, and the
// context the coworker needs (it knows nothing else). The coworker works it
// as a step of its own (its own tools, no further delegation) and its answer
// is the tool's result.
// Thread-safety: pure functions.
#pragma once

#include "core/result.h"
#include "engine/crew.h"
#include "llm/types.h"

#include <string>
#include <vector>

namespace codecrew::engine {

// The two tools, naming the coworkers (every other agent of the crew); none
// when the crew has no other agent.
std::vector<llm::ToolSpec> delegationTools(const CrewSpec& crew, const AgentSpec& self);

// What a delegation call asks of whom: the coworker's task, ready to run.
// kInvalidArgument (told to the delegating agent) for bad arguments or an
// unknown coworker, listing the coworkers.
core::Result<TaskSpec> delegatedTask(const CrewSpec& crew, const AgentSpec& self, const llm::ToolCall& call);

}  // namespace codecrew::engine
