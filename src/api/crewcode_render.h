// Rendering of CrewCode answers: sessions (with their file list) and the
// result of a crew run (files, fenced markdown, diff, usage).
// Thread-safety: pure functions.
#pragma once

#include "engine/crewcode_service.h"
#include "store/models.h"

#include <boost/json/object.hpp>

#include <vector>

namespace codecrew::api {

// {id, name, workflow_id, file_count, total_bytes, expires_at, created_at, updated_at}
// plus "files": [{path, size, updated_at}] when files are given.
boost::json::object toJson(const store::CrewSession& s, const std::vector<store::SessionFile>* files = nullptr);

// {workflow_id, execution_id, crew, status, markdown, files: [{path, status, content}], diff, usage, models}.
boost::json::object toJson(const engine::CrewRun& run);

// {prompt_tokens, completion_tokens, total_tokens, calls, cost}.
boost::json::object toJson(const engine::CrewUsage& usage);

}  // namespace codecrew::api
