#include "api/crewcode_render.h"
#include "api/schemas.h"

#include "core/time_format.h"

namespace codecrew::api {
namespace json = boost::json;

json::object toJson(const store::CrewSession& s, const std::vector<store::SessionFile>* files) {
  json::object o{{"id", s.id},
                 {"name", s.name},
                 {"workflow_id", s.workflow_id ? json::value(*s.workflow_id) : json::value(nullptr)},
                 {"file_count", s.file_count},
                 {"total_bytes", s.total_bytes},
                 {"expires_at", core::formatIso8601(s.expires_at)},
                 {"created_at", core::formatIso8601(s.created_at)},
                 {"updated_at", core::formatIso8601(s.updated_at)}};
  if (files) {
    json::array list;
    for (const auto& f : *files)
      list.push_back(json::object{{"path", f.path},
                                  {"size", static_cast<std::int64_t>(f.content.size())},
                                  {"updated_at", core::formatIso8601(f.updated_at)}});
    o["files"] = std::move(list);
  }
  return o;
}

json::object toJson(const engine::CrewUsage& u) {
  return {{"prompt_tokens", u.prompt_tokens},
          {"completion_tokens", u.completion_tokens},
          {"total_tokens", u.total_tokens},
          {"calls", u.calls},
          {"cost", u.cost}};
}

json::object toJson(const engine::CrewRun& run) {
  json::array files;
  for (const auto& f : run.files)
    files.push_back(json::object{{"path", f.path}, {"status", f.status}, {"content", f.content}});
  json::array models;
  for (const auto& m : run.models) models.push_back(json::value(m));
  return {{"workflow_id", run.workflow_id},
          {"execution_id", run.execution_id},
          {"crew", run.crew},
          {"status", "completed"},
          {"markdown", run.markdown},
          {"files", std::move(files)},
          {"diff", run.diff},
          {"usage", toJson(run.usage)},
          {"models", std::move(models)}};
}

void addCrewCodeRenderSchemas(SchemaMap& out) {
  out["Session"] = closedObject(R"({
      "id": {"type": "integer"}, "name": {"type": "string"}, "workflow_id": {"type": ["integer", "null"]},
      "file_count": {"type": "integer"}, "total_bytes": {"type": "integer"},
      "expires_at": {"type": "string", "format": "date-time"},
      "created_at": {"type": "string", "format": "date-time"},
      "updated_at": {"type": "string", "format": "date-time"},
      "files": {"type": "array", "items": {"type": "object", "additionalProperties": false,
        "required": ["path", "size", "updated_at"], "properties": {"path": {"type": "string"},
          "size": {"type": "integer"}, "updated_at": {"type": "string", "format": "date-time"}}}}})",
                                {"files"});
  out["CrewUsage"] = closedObject(R"({
      "prompt_tokens": {"type": "integer"}, "completion_tokens": {"type": "integer"},
      "total_tokens": {"type": "integer"}, "calls": {"type": "integer"}, "cost": {"type": "number"}})");
  out["CrewRun"] = closedObject(R"({
      "workflow_id": {"type": "integer"}, "execution_id": {"type": "integer"}, "crew": {"type": "string"},
      "status": {"type": "string", "enum": ["completed"]},
      "markdown": {"type": "string", "description": "the files as fenced code blocks"},
      "files": {"type": "array", "items": {"type": "object", "additionalProperties": false,
        "required": ["path", "status", "content"], "properties": {"path": {"type": "string"},
          "status": {"type": "string"}, "content": {"type": "string"}}}},
      "diff": {"type": "string", "description": "unified diff"},
      "usage": {"$ref": "#/components/schemas/CrewUsage"},
      "models": {"type": "array", "items": {"type": "string"}}})");
}

}  // namespace codecrew::api
