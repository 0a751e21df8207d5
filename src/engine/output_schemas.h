// Guardrails for structured outputs: the JSON Schemas an agent's final answer
// must satisfy when its task asks for a plan, a test report or a review
// verdict, and the check itself (valijson, through tools::validateAgainstSchema).
// A violation comes back as kInvalidArgument with a message the agent can act
// on; the agent loop feeds it back a bounded number of times.
// Thread-safety: pure functions over immutable schemas.
#pragma once

#include "core/result.h"
#include "engine/crew.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string_view>

namespace codecrew::engine {

// The schema of an output kind (an empty object for kText).
const boost::json::object& outputSchema(OutputKind kind);

// Finds the JSON in a model's answer (bare, or in a ```json fence), parses it
// and validates it against the kind's schema.
core::Result<boost::json::value> parseStructuredOutput(OutputKind kind, std::string_view text);

}  // namespace codecrew::engine
