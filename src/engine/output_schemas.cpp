#include "engine/output_schemas.h"

#include "tools/tool_registry.h"

#include <boost/json/parse.hpp>

namespace codecrew::engine {
namespace {

boost::json::object parseSchema(std::string_view text) { return boost::json::parse(text).as_object(); }

constexpr std::string_view kPlanSchema = R"({
  "type": "object",
  "required": ["tasks"],
  "properties": {
    "summary": {"type": "string"},
    "tasks": {
      "type": "array", "minItems": 1, "maxItems": 100,
      "items": {
        "type": "object",
        "required": ["id", "title", "depends_on"],
        "properties": {
          "id": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,64}$"},
          "title": {"type": "string", "minLength": 1},
          "description": {"type": "string"},
          "files": {"type": "array", "items": {"type": "string", "minLength": 1}},
          "depends_on": {"type": "array", "items": {"type": "string"}}
        }
      }
    }
  }
})";

constexpr std::string_view kTestReportSchema = R"({
  "type": "object",
  "required": ["passed", "summary"],
  "properties": {
    "passed": {"type": "boolean"},
    "total": {"type": "integer", "minimum": 0},
    "failed": {"type": "integer", "minimum": 0},
    "summary": {"type": "string"},
    "failures": {"type": "array", "items": {"type": "string"}}
  }
})";

constexpr std::string_view kReviewSchema = R"({
  "type": "object",
  "required": ["verdict", "summary"],
  "properties": {
    "verdict": {"enum": ["approve", "changes"]},
    "summary": {"type": "string"},
    "comments": {"type": "array", "items": {"type": "object", "required": ["comment"],
                 "properties": {"path": {"type": "string"}, "comment": {"type": "string"}}}}
  }
})";

std::string_view extractJson(std::string_view text) {
  auto fence = text.find("```");
  if (fence != std::string_view::npos) {
    auto start = text.find('\n', fence);
    auto end = start == std::string_view::npos ? start : text.find("```", start);
    if (end != std::string_view::npos) text = text.substr(start + 1, end - start - 1);
  }
  auto open = text.find_first_of("{[");
  auto close = text.find_last_of("}]");
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return {};
  return text.substr(open, close - open + 1);
}

}  // namespace

const boost::json::object& outputSchema(OutputKind kind) {
  static const boost::json::object kEmpty;
  static const boost::json::object kPlan = parseSchema(kPlanSchema);
  static const boost::json::object kTest = parseSchema(kTestReportSchema);
  static const boost::json::object kReview = parseSchema(kReviewSchema);
  switch (kind) {
    case OutputKind::kPlan: return kPlan;
    case OutputKind::kTestReport: return kTest;
    case OutputKind::kReview: return kReview;
    case OutputKind::kText: break;
  }
  return kEmpty;
}

core::Result<boost::json::value> parseStructuredOutput(OutputKind kind, std::string_view text) {
  std::string name(outputKindName(kind));
  auto json = extractJson(text);
  if (json.empty())
    return core::Error::invalidArgument("the " + name + " must be a JSON object; no JSON was found in the answer");
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec);
  if (ec) return core::Error::invalidArgument("the " + name + " is not valid JSON: " + ec.message());
  if (auto ok = tools::validateAgainstSchema(outputSchema(kind), value); !ok) {
    core::Error e = ok.error();
    e.message = "the " + name + " does not match its schema: " + e.message;
    return e;
  }
  return value;
}

}  // namespace codecrew::engine
