// Crews answering as models (SPEC §7, seed 004): /v1/models lists
// crew/<template> for each crew of the catalog, and a chat completion whose
// model is crew/<name> runs that crew on the conversation instead of calling
// a model. The last user message is the request; fenced blocks of the user
// messages whose info string names a file (```src/app.py) seed the
// workspace. The answer is an OpenAI chat completion whose content is the
// changed files as fenced blocks and whose usage is the run's totals; with
// stream: true, each stage the crew enters comes as a content line
// ("> stage PLANNING") as it happens, then the files, the closing chunk
// (usage with stream_options.include_usage) and data: [DONE].
// The gateway's routes consult namesCrewModel() before their own routing.
// serveCrewModel returns once the crew is queued: the answer is written when
// the execution ends, and a caller that disconnects first cancels it. No
// thread waits meanwhile.
// Thread-safety: stateless functions; safe from any thread.
#pragma once

#include "api/api_context.h"
#include "http/router.h"

#include <boost/json/object.hpp>

#include <memory>
#include <string_view>

namespace codecrew::api {

inline constexpr std::string_view kCrewModelPrefix = "crew/";

// True when the body is a JSON object whose "model" starts with "crew/"
// (a substring test first, so other calls pay almost nothing).
bool namesCrewModel(std::string_view body);

// Answers the OpenAI chat completion on out (errors in OpenAI's shape too).
void serveCrewModel(std::shared_ptr<const ApiContext> ctx, core::Id tenant_id, std::string_view body,
                    std::shared_ptr<http::ResponseStream> out);

// Adds crew/<name> entries to a /v1/models list ({"object": "list", "data": [...]}).
void appendCrewModels(const ApiContext& ctx, boost::json::object& list);

}  // namespace codecrew::api
