#include "api/crew_model_handler.h"

#include "core/crypto.h"
#include "engine/crewcode_service.h"
#include "engine/fenced_files.h"
#include "gateway/gateway.h"
#include "gateway/openai_dialect.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>

#include <mutex>
#include <set>

namespace codecrew::api {
namespace bj = boost::json;

namespace {

// How a crew's end answers in the gateway's shapes: a crew that failed, was
// cancelled or stopped at a gate is a conflict (409), one that outlived the
// wait a timeout naming its execution (504), a refusal of the caller's key
// keeps its 429; never a 500 for what the crew did.
gateway::GatewayFailure crewFailure(const core::Error& e) {
  if (e.code == core::ErrorCode::kFailedPrecondition)
    return gateway::GatewayFailure{409, gateway::FailureCategory::kInvalidRequest, "crew_failed", e.message, {}, ""};
  if (e.code == core::ErrorCode::kDeadlineExceeded)
    return gateway::GatewayFailure{504, gateway::FailureCategory::kTimeout, "crew_timeout", e.message, {}, ""};
  return gateway::failureFromError(e);
}

// The request and the files of the conversation.
core::Result<engine::CrewRequest> crewRequest(const llm::ChatRequest& chat, const std::string& crew) {
  engine::CrewRequest r;
  r.crew = crew;
  r.origin = "chat";
  const llm::Message* last_user = nullptr;
  for (const auto& m : chat.messages) {
    if (m.role != llm::Role::kUser) continue;
    last_user = &m;
    for (auto& file : engine::extractFencedFiles(m.content).files) {
      const std::string& path = file.first;
      auto it = std::find_if(r.files.begin(), r.files.end(), [&](const auto& f) { return f.first == path; });
      if (it != r.files.end()) it->second = std::move(file.second);
      else r.files.emplace_back(path, std::move(file.second));
    }
  }
  if (!last_user)
    return gateway::badRequest("a crew model needs a user message: the last one is the request", "messages");
  std::string goal = engine::extractFencedFiles(last_user->content).text;
  auto first = goal.find_first_not_of(" \t\r\n");
  auto end = goal.find_last_not_of(" \t\r\n");
  goal = first == std::string::npos ? "" : goal.substr(first, end - first + 1);
  if (goal.empty()) return gateway::badRequest("the last user message holds no request besides its files", "messages");
  if (!r.files.empty()) {
    goal += "\n\nThe workspace holds the files given with the request:";
    for (const auto& [path, content] : r.files) goal += " " + path;
    goal += ".";
  }
  r.goal = std::move(goal);
  return r;
}

llm::ChatResponse asResponse(const engine::CrewRun& run, const std::string& model) {
  llm::ChatResponse resp;
  resp.model = model;
  resp.message = llm::Message::assistant(run.markdown.empty() ? "The crew changed no files.\n" : run.markdown);
  resp.usage.prompt_tokens = run.usage.prompt_tokens;
  resp.usage.completion_tokens = run.usage.completion_tokens;
  resp.usage.total_tokens = run.usage.total_tokens;
  resp.usage.reported = true;
  resp.finish_reason = llm::FinishReason::kStop;
  resp.raw_finish_reason = "stop";
  return resp;
}

// One response in the making: the stream (and, when streaming, its
// renderer), shared by the progress listener, the answer's listener and the
// close handler, which all run after the handler returned. done: the
// response is written.
struct StreamState {
  std::shared_ptr<const gateway::Dialect> dialect;
  std::shared_ptr<const gateway::ParsedCall> call;  // the request answered (its model, its response id)
  std::mutex mu;
  std::unique_ptr<gateway::StreamRenderer> renderer;  // guarded by mu
  std::shared_ptr<http::ResponseStream> out;
  bool done = false;  // guarded by mu

  void text(const std::string& t) {
    std::lock_guard lock(mu);
    if (!done) out->write(renderer->delta(llm::StreamDelta::textDelta(t)));
  }
  bool answered() {
    std::lock_guard lock(mu);
    return done;
  }
  void close(const std::string& frames) {
    std::lock_guard lock(mu);
    if (done) return;
    done = true;
    out->write(frames);
    out->end();
  }
};

}  // namespace

bool namesCrewModel(std::string_view body) {
  if (body.find("\"crew/") == std::string_view::npos) return false;
  boost::system::error_code ec;
  auto v = bj::parse(body, ec);
  if (ec || !v.is_object()) return false;
  const auto* model = v.as_object().if_contains("model");
  return model && model->is_string() && std::string_view(model->as_string()).starts_with(kCrewModelPrefix);
}

void appendCrewModels(const ApiContext& ctx, bj::object& list) {
  if (!ctx.crewcode) return;
  auto* data = list.if_contains("data");
  if (!data || !data->is_array()) return;
  auto& items = data->as_array();
  bool was_empty = items.empty();
  std::set<std::string> listed;
  for (const auto& item : items) {
    if (const auto* id = item.is_object() ? item.as_object().if_contains("id") : nullptr; id && id->is_string())
      listed.insert(std::string(id->as_string()));
  }
  std::string last;
  for (const auto& name : ctx.crewcode->crewNames()) {
    if (listed.contains(std::string(kCrewModelPrefix) + name)) continue;
    last = std::string(kCrewModelPrefix) + name;
    items.push_back(bj::object{{"id", last},
                               {"object", "model"},
                               {"type", "model"},
                               {"created", 0},
                               {"created_at", "1970-01-01T00:00:00Z"},
                               {"owned_by", "codecrew"},
                               {"display_name", "the " + name + " crew"}});
  }
  if (last.empty()) return;
  list["last_id"] = last;
  if (was_empty) list["first_id"] = items.front().at("id");
}

namespace {

// Writes the answer on one response (the first request's or a retry's).
void answerOn(std::shared_ptr<StreamState> state, const std::string& model, std::shared_ptr<core::Clock> clock,
              const core::Result<engine::CrewRun>& run) {
  if (!state->renderer) {
    std::lock_guard lock(state->mu);
    if (state->done) return;
    state->done = true;
    if (!run) return gateway::respondWithFailure(*state->dialect, crewFailure(run.error()), *state->out);
    state->out->begin(200, "application/json");
    state->out->write(state->dialect->renderResponse(asResponse(*run, model), *state->call, clock->nowMillis()));
    state->out->end();
    return;
  }
  if (!run) return state->close(state->renderer->error(crewFailure(run.error())));
  auto response = asResponse(*run, model);
  state->text("\n" + response.message.content);
  std::string closing;
  {
    std::lock_guard lock(state->mu);
    closing = state->renderer->finish(response);
  }
  state->close(closing);
}

}  // namespace

void serveCrewModel(std::shared_ptr<const ApiContext> ctx, gateway::Gateway& gw, CrewAnswers& answers,
                    const CrewModelCall& call, std::string_view body, std::shared_ptr<http::ResponseStream> out) {
  const auto& dialect = *call.dialect;
  auto fail = [&](const core::Error& e) { gateway::respondWithFailure(dialect, crewFailure(e), *out); };
  auto parsed = dialect.parseRequest(body);
  if (!parsed) return fail(parsed.error());
  const std::string model = parsed->request.model;
  const std::string crew = model.substr(kCrewModelPrefix.size());
  if (!ctx->crewcode)
    return fail(core::Error{core::ErrorCode::kFailedPrecondition,
                            "the crew engine is not attached to this server: crew models cannot run", nullptr});
  auto names = ctx->crewcode->crewNames();
  if (std::find(names.begin(), names.end(), crew) == names.end())
    return gateway::respondWithFailure(dialect, gateway::failureFromError(gateway::modelNotFound(model)), *out);
  // A Responses API call's conversation: its previous_response_id's before its input.
  if (auto prepared = gw.prepareConversation(call.caller, parsed.value()); !prepared) return fail(prepared.error());
  auto request = crewRequest(parsed->request, crew);
  if (!request) return fail(request.error());

  auto state = std::make_shared<StreamState>();
  state->dialect = call.dialect;
  state->call = std::make_shared<const gateway::ParsedCall>(std::move(parsed).value());
  state->out = out;
  auto clock = ctx->clock;
  if (state->call->stream) state->renderer = dialect.streamRenderer(*state->call, clock->nowMillis());
  // A caller that goes away before the answer leaves it; when the last one
  // has, the crew is stopped (a retry that comes later starts afresh).
  // A caller still waiting after [crewcode] run_timeout_seconds is answered
  // 504 naming the execution, which goes on (the answer to a retry).
  auto timeout = ctx->crewcode->settings().run_timeout;
  auto listen = [state, model, clock, svc = ctx->crewcode, tenant_id = call.caller.tenant_id, out, io = call.io,
                 timeout](std::shared_ptr<CrewAnswer> answer) {
    if (state->renderer)
      state->out->begin(200, "text/event-stream", {{"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"}});
    answer->join();
    out->onClose([answer, svc, tenant_id, state] {
      if (state->answered()) return;  // answered (or timed out): not a caller going away
      if (!answer->leave()) return;
      if (auto id = answer->execution_id()) (void)svc->cancel(tenant_id, *id);
    });
    std::shared_ptr<boost::asio::steady_timer> timer;
    if (io && timeout.count() > 0) {
      timer = std::make_shared<boost::asio::steady_timer>(io, timeout);
      timer->async_wait([state, model, clock, answer, timeout](boost::system::error_code ec) {
        if (ec) return;
        auto id = answer->execution_id();
        std::string which = id ? "execution " + std::to_string(*id) : "its execution";
        answerOn(state, model, clock,
                 core::Error{core::ErrorCode::kDeadlineExceeded,
                             "the crew did not finish within " + std::to_string(timeout.count() / 1000) + " s; " +
                                 which + " goes on: follow it under /workflows, or retry with the same request",
                             id ? bj::value(bj::object{{"execution_id", *id}}) : bj::value(nullptr)});
      });
    }
    answer->subscribe([state, model, clock, timer](const core::Result<engine::CrewRun>& run) {
      if (timer) timer->cancel();
      answerOn(state, model, clock, run);
    });
  };

  // A retry of a run that is going on or has ended gets that run's answer:
  // nothing new starts, nothing is paid twice.
  CrewAnswers::Keys keys{call.caller.api_key_id, call.idempotency_key, core::sha256Hex(body), call.sdk_retry};
  if (auto earlier = answers.find(call.caller.tenant_id, keys)) return listen(earlier);

  // Admitted like any model call: the key's rpm/tpm limits and budgets.
  if (auto admitted = gw.admit(call.caller); !admitted)
    return gateway::respondWithFailure(dialect, gateway::failureFromError(admitted.error()), *out);

  auto answer = std::make_shared<CrewAnswer>();
  answers.remember(call.caller.tenant_id, keys, answer);
  request->api_key_id = call.caller.api_key_id;
  if (state->renderer) {
    request->progress = [state](const std::string& kind, const bj::object& data) {
      if (kind != "stage") return;
      const auto* stage = data.if_contains("stage");
      if (stage && stage->is_string()) state->text("> stage " + std::string(stage->as_string()) + "\n");
    };
  }
  auto caller = call.caller;
  auto* gateway = &gw;
  engine::CrewCodeService::CrewDone done = [answer, gateway, caller, parsed = state->call,
                                            model](core::Result<engine::CrewRun> run) {
    if (run) {
      gateway->settle(caller, run->usage.total_tokens, run->usage.cost);
      gateway->remember(caller, *parsed, asResponse(*run, model).message);
    }
    answer->complete(std::move(run));
  };
  listen(answer);
  auto started = ctx->crewcode->start(call.caller.tenant_id, std::move(request).value(), std::move(done));
  if (!started) return answer->complete(started.error());
  answer->setExecution(started->execution_id);
  // Gone already (closed before the execution had an id): stop it now.
  if (answer->abandoned()) (void)ctx->crewcode->cancel(call.caller.tenant_id, started->execution_id);
}

}  // namespace codecrew::api
