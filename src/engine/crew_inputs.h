// Crew inputs: CrewAI's {name} placeholders. A CrewAI crew's texts (agent
// role, goal, backstory; task description, expected_output, output_file)
// may name inputs as {topic}; the client gives them as an object of strings
// with the workflow and with each start (the start's win), and they fill
// those texts and nothing else. The workflow's description is the input
// `description` (and `goal`) unless the client gives those; a crew that names
// neither gets the description at the head of its first task, so it always
// reaches the crew.
//
// A placeholder is `{` identifier `}` with identifier [A-Za-z_][A-Za-z0-9_-]*;
// `{{...}}` and braces around anything else (JSON, code) are left as they are.
// Thread-safety: pure functions.
#pragma once

#include "core/result.h"
#include "engine/crew.h"

#include <boost/json/value.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::engine {

using CrewInputs = std::map<std::string, std::string>;

// The placeholder names of text, in order of first appearance.
std::vector<std::string> placeholdersIn(std::string_view text);
// Every placeholder of a CrewAI crew, sorted; none for a codecrew crew.
std::vector<std::string> crewPlaceholders(const CrewSpec& crew);

// Reads a client's inputs: a JSON object of at most 100 names, each an
// identifier, each value a string (numbers and booleans are taken as their
// JSON text, as CrewAI's str() would); null or absent: none.
// kInvalidArgument names `field` and the offending entry.
core::Result<CrewInputs> crewInputsFromJson(const boost::json::value& json, const std::string& field = "inputs");
boost::json::object crewInputsToJson(const CrewInputs& inputs);

// The inputs a run of the workflow sees: the workflow's description as
// `description` and `goal`, then the workflow's inputs, then the start's.
CrewInputs mergeCrewInputs(const std::string& description, const CrewInputs& workflow, const CrewInputs& start);

// kInvalidArgument naming every placeholder of the crew that inputs leave
// unfilled, and how to give it.
core::Status checkCrewInputs(const CrewSpec& crew, const CrewInputs& inputs);

// The crew with its placeholders filled (checkCrewInputs first) and, when no
// text names {description} or {goal}, the description at the head of its
// first task. A codecrew crew is returned unchanged.
core::Result<CrewSpec> applyCrewInputs(CrewSpec crew, const CrewInputs& inputs);

}  // namespace codecrew::engine
