// importCrewAi: a crew from CrewAI's agents.yaml and tasks.yaml (the
// `crewai create crew` layout), run as CrewAI's sequential process does:
//
// - One BUILD stage whose tasks run in the order tasks.yaml lists them.
// - A task reads the outputs of the tasks its `context` names (each must come
//   earlier in tasks.yaml); without `context` it reads the output before it
//   (the previous task's, or those of the async tasks it waited for), as
//   CrewAI does. `context: []` reads none.
// - `async_execution: true`: the task runs beside the tasks after it; the
//   next task that is not async waits for it (CrewAI's rule), and so does any
//   task naming it in `context`.
// - Agents: role, goal, backstory (the system prompt, as CrewAI words it),
//   llm ("provider/model": every call asks for that model), tools (CrewAI
//   tool names mapped to codecrew's, see crewAiToolNames; unknown ones are
//   refused by name), max_iter, max_tokens, allow_delegation (the agent may
//   hand work or a question to a coworker: engine/delegation), and CrewAI
//   options with no effect here (verbose, cache, ...) as warnings.
// - Tasks: description, expected_output, agent (required: agents assigned in
//   crew.py are not read), context, tools (replace the agent's for the
//   task), async_execution, output_file (written in the workspace),
//   human_input (an approval gate after the task), markdown.
// - {name} placeholders are left for the inputs (engine/crew_inputs.h);
//   whitespace around every text (YAML `>` and `|` scalars) is trimmed.
// - A key neither CrewAI nor codecrew knows is an error naming it.
// Thread-safety: pure.
#pragma once

#include "core/result.h"
#include "engine/crew.h"

#include <string>
#include <string_view>
#include <vector>

namespace codecrew::engine {

// kInvalidArgument names the file ("agents.yaml"/"tasks.yaml"), the entry
// and the key at fault, and says how to fix it.
// kInvalidArgument unless path (a task's output_file) is a relative file path
// inside the workspace: not absolute, no `..`, no `.git` part, not a folder.
// Checked at load and again once the inputs have filled its placeholders, so
// a client's input cannot point the file elsewhere.
core::Status checkOutputFile(const std::string& path, const std::string& where);

core::Result<CrewSpec> importCrewAi(const std::string& name, std::string_view agents_yaml, std::string_view tasks_yaml);

// "CrewAI tool -> codecrew tool" for every CrewAI tool with a match, e.g.
// "FileReadTool -> read_file"; codecrew's own tool names are taken as well.
std::vector<std::string> crewAiToolNames();

}  // namespace codecrew::engine
