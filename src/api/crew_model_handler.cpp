#include "api/crew_model_handler.h"

#include "engine/crewcode_service.h"
#include "engine/fenced_files.h"
#include "gateway/gateway.h"
#include "gateway/openai_dialect.h"

#include <boost/json.hpp>

#include <mutex>

namespace codecrew::api {
namespace bj = boost::json;

namespace {

const gateway::OpenAiDialect& dialect() {
  static const gateway::OpenAiDialect d;
  return d;
}

void fail(http::ResponseStream& out, const core::Error& e) {
  gateway::respondWithFailure(dialect(), gateway::failureFromError(e), out);
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
    for (auto& [path, content] : engine::extractFencedFiles(m.content).files) {
      auto it = std::find_if(r.files.begin(), r.files.end(), [&](const auto& f) { return f.first == path; });
      if (it != r.files.end()) it->second = content;
      else r.files.emplace_back(path, content);
    }
  }
  if (!last_user) return gateway::badRequest("a crew model needs a user message: the last one is the request", "messages");
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

// One answer in the making: the stream (and, when streaming, its renderer),
// shared by the progress listener, the completion and the close handler,
// which all run after the handler returned. done: the answer is written.
struct StreamState {
  std::mutex mu;
  std::unique_ptr<gateway::StreamRenderer> renderer;  // guarded by mu
  std::shared_ptr<http::ResponseStream> out;
  bool done = false;  // guarded by mu

  void text(const std::string& t) {
    std::lock_guard lock(mu);
    if (!done) out->write(renderer->delta(llm::StreamDelta::textDelta(t)));
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
  std::string last;
  for (const auto& name : ctx.crewcode->crewNames()) {
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

void serveCrewModel(std::shared_ptr<const ApiContext> ctx, core::Id tenant_id, std::string_view body,
                    std::shared_ptr<http::ResponseStream> out) {
  auto parsed = dialect().parseRequest(body);
  if (!parsed) return fail(*out, parsed.error());
  const std::string model = parsed->request.model;
  const std::string crew = model.substr(kCrewModelPrefix.size());
  if (!ctx->crewcode)
    return fail(*out, core::Error{core::ErrorCode::kFailedPrecondition,
                                  "the crew engine is not attached to this server: crew models cannot run", nullptr});
  auto names = ctx->crewcode->crewNames();
  if (std::find(names.begin(), names.end(), crew) == names.end()) return fail(*out, gateway::modelNotFound(model));
  auto request = crewRequest(parsed->request, crew);
  if (!request) return fail(*out, request.error());

  auto state = std::make_shared<StreamState>();
  state->out = out;
  auto clock = ctx->clock;
  engine::CrewCodeService::CrewDone done;
  if (!parsed->stream) {
    done = [state, model, clock](core::Result<engine::CrewRun> run) {
      std::lock_guard lock(state->mu);
      if (state->done) return;
      state->done = true;
      if (!run) return fail(*state->out, run.error());
      state->out->begin(200, "application/json");
      state->out->write(dialect().renderResponse(asResponse(*run, model), model, clock->nowMillis()));
      state->out->end();
    };
  } else {
    state->renderer = dialect().streamRenderer(model, parsed->include_usage, clock->nowMillis());
    out->begin(200, "text/event-stream", {{"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"}});
    request->progress = [state](const std::string& kind, const bj::object& data) {
      if (kind != "stage") return;
      const auto* stage = data.if_contains("stage");
      if (stage && stage->is_string()) state->text("> stage " + std::string(stage->as_string()) + "\n");
    };
    done = [state, model](core::Result<engine::CrewRun> run) {
      if (!run) return state->close(state->renderer->error(gateway::failureFromError(run.error())));
      auto response = asResponse(*run, model);
      state->text("\n" + response.message.content);
      std::string closing;
      {
        std::lock_guard lock(state->mu);
        closing = state->renderer->finish(response);
      }
      state->close(closing);
    };
  }
  bool streaming = parsed->stream;
  auto started = ctx->crewcode->start(tenant_id, std::move(request).value(), std::move(done));
  if (!started) {
    if (!streaming) return fail(*out, started.error());
    return state->close(state->renderer->error(gateway::failureFromError(started.error())));
  }
  // A caller that goes away before the answer stops the crew.
  out->onClose([state, svc = ctx->crewcode, tenant_id, execution_id = started->execution_id] {
    {
      std::lock_guard lock(state->mu);
      if (state->done) return;
    }
    (void)svc->cancel(tenant_id, execution_id);
  });
}

}  // namespace codecrew::api
