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
// The gateway's routes (chat completions, responses and Anthropic
// messages, each in its own shape) consult namesCrewModel() before their own
// routing; a Responses API call's previous_response_id conversation is the
// crew's too, and its answer is kept for the next. A crew
// call is admitted like any model call (the key's rpm/tpm limits and
// budgets), its model calls are recorded under the caller's key and its
// usage settles against the key. serveCrewModel returns once the crew is
// queued: the answer is written when the execution ends, and when every
// caller waiting on it has disconnected first, it is cancelled. A retried
// request attaches to the run it repeats (crew_answers.h). No thread waits
// meanwhile. A crew that fails answers 409; a caller still waiting after
// [crewcode] run_timeout_seconds gets 504 naming the execution, which goes on.
// Thread-safety: stateless functions; safe from any thread.
#pragma once

#include "api/api_context.h"
#include "api/crew_answers.h"
#include "gateway/dialect.h"
#include "gateway/gateway.h"
#include "http/router.h"

#include <boost/json/object.hpp>

#include <memory>
#include <string_view>

namespace codecrew::api {

inline constexpr std::string_view kCrewModelPrefix = "crew/";

// True when the body is a JSON object whose "model" starts with "crew/"
// (a substring test first, so other calls pay almost nothing).
bool namesCrewModel(std::string_view body);

struct CrewModelCall {
  std::shared_ptr<const gateway::Dialect> dialect;  // the route's: OpenAI chat, OpenAI responses or Anthropic
  gateway::Caller caller;                           // authenticated, allowed to write
  std::optional<std::string> idempotency_key;       // the Idempotency-Key header
  bool sdk_retry = false;                           // x-stainless-retry-count > 0
  boost::asio::any_io_executor io;                  // runs the wait's timer (the request's); empty: no timeout
};

// Answers the call on out, in its dialect (errors too).
void serveCrewModel(std::shared_ptr<const ApiContext> ctx, gateway::Gateway& gw, CrewAnswers& answers,
                    const CrewModelCall& call, std::string_view body, std::shared_ptr<http::ResponseStream> out);

// Adds crew/<name> entries to a /v1/models list ({"object": "list", "data": [...]}).
void appendCrewModels(const ApiContext& ctx, boost::json::object& list);

}  // namespace codecrew::api
