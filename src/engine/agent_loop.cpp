#include "engine/agent_loop.h"

#include "core/crypto.h"
#include "engine/context_fitter.h"
#include "engine/output_schemas.h"
#include "engine/plan.h"
#include "llm/types_json.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <set>

namespace codecrew::engine {
namespace json = boost::json;

namespace {

const std::set<std::string>& mutatingTools() {
  static const std::set<std::string> kTools{"write_file", "move_file", "delete_file"};
  return kTools;
}

std::string canonicalArgs(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? text : json::serialize(v);
}

json::array toolCallsJson(const std::vector<llm::ToolCall>& calls) {
  json::array out;
  for (const auto& c : calls) out.push_back(json::object{{"id", c.id}, {"name", c.name}, {"arguments", c.arguments}});
  return out;
}

store::Message storeMessage(std::string role, std::string content, json::object meta) {
  store::Message m;
  m.role = std::move(role);
  m.content = std::move(content);
  m.message_metadata = std::move(meta);
  return m;
}

}  // namespace

json::object AgentRunState::toJson() const {
  llm::ChatRequest conv;
  conv.messages = messages;
  json::array seen(seen_calls.begin(), seen_calls.end());
  json::object o{{"conversation", llm::toJson(conv)},
                 {"iteration", iteration},
                 {"max_iterations", max_iterations},
                 {"seen_calls", std::move(seen)},
                 {"turns_without_change", turns_without_change},
                 {"guardrail_retries", guardrail_retries},
                 {"policy_role", policy_role},
                 {"finished", finished},
                 {"output", output},
                 {"structured", structured}};
  if (pending) o["pending"] = llm::toJson(*pending);
  if (conversation_id) o["conversation_id"] = *conversation_id;
  return o;
}

core::Result<AgentRunState> AgentRunState::fromJson(const json::value& v) {
  const auto* o = v.if_object();
  if (!o) return core::Error::invalidArgument("agent state is not an object");
  AgentRunState s;
  auto conv = llm::chatRequestFromJson(o->at("conversation"));
  if (!conv) return conv.error();
  s.messages = std::move(conv->messages);
  s.iteration = static_cast<int>(o->at("iteration").to_number<std::int64_t>());
  s.max_iterations = static_cast<int>(o->at("max_iterations").to_number<std::int64_t>());
  for (const auto& c : o->at("seen_calls").as_array()) s.seen_calls.emplace_back(c.as_string());
  s.turns_without_change = static_cast<int>(o->at("turns_without_change").to_number<std::int64_t>());
  s.guardrail_retries = static_cast<int>(o->at("guardrail_retries").to_number<std::int64_t>());
  s.policy_role = std::string(o->at("policy_role").as_string());
  s.finished = o->at("finished").as_bool();
  s.output = std::string(o->at("output").as_string());
  s.structured = o->at("structured");
  if (const auto* p = o->if_contains("pending")) {
    auto resp = llm::chatResponseFromJson(*p);
    if (!resp) return resp.error();
    s.pending = std::move(resp).value();
  }
  if (const auto* c = o->if_contains("conversation_id")) s.conversation_id = c->to_number<core::Id>();
  return s;
}

std::optional<FitResult> AgentLoop::shrinkToBudget(const FitResult& fit, const BudgetBreach& breach,
                                                   FitOptions options) const {
  if (breach.limit.tokens <= 0) return std::nullopt;  // a cost limit: fewer tokens may not be enough to say
  std::int64_t remaining = breach.limit.tokens - breach.spent.tokens;
  if (remaining <= options.safety_buffer + options.output_reserve) return std::nullopt;
  options.context_window = std::min(options.context_window, remaining);
  auto refit = fitToContext(fit.request, options);
  if (!refit) return std::nullopt;
  if (env_.budget.checkBefore(task_.agent->name, refit->estimated_tokens + task_.agent->max_output_tokens))
    return std::nullopt;
  FitResult out = std::move(refit).value();
  boost::json::array sections = fit.truncated_sections;
  for (auto& cut : out.truncated_sections) sections.push_back(cut);
  out.truncated_sections = std::move(sections);
  return out;
}

void AgentLoop::report(const std::string& kind, json::object data) const {
  if (!env_.progress) return;
  data["agent"] = task_.agent->name;
  data["step"] = task_.step;
  env_.progress(kind, data);
}

std::vector<llm::ToolSpec> AgentLoop::offeredTools() const {
  std::vector<llm::ToolSpec> out;
  for (const auto& name : task_.agent->tools)
    if (const auto* tool = env_.tools.find(name))
      out.push_back(llm::ToolSpec{tool->spec().name, tool->spec().description, tool->spec().parameters});
  if (env_.delegate) out.insert(out.end(), env_.delegation_tools.begin(), env_.delegation_tools.end());
  return out;
}

boost::asio::awaitable<void> AgentLoop::runDelegations(const AgentRunState& state) {
  delegated_.clear();
  if (!state.pending || !env_.delegate) co_return;
  for (const auto& call : state.pending->message.tool_calls) {
    bool offered = std::any_of(env_.delegation_tools.begin(), env_.delegation_tools.end(),
                               [&](const llm::ToolSpec& t) { return t.name == call.name; });
    if (!offered) continue;
    auto answer = co_await env_.delegate(call);
    delegated_[call.id] = answer ? json::value(json::object{{"answer", *answer}})
                                 : json::value(json::object{{"error", answer.error().message}});
  }
}

boost::asio::awaitable<AgentOutcome> AgentLoop::run(AgentRunState& state) {
  if (state.max_iterations == 0) state.max_iterations = task_.agent->max_iterations;
  if (state.policy_role.empty()) state.policy_role = task_.agent->model;
  while (!state.finished) {
    if (env_.cancelled.load()) co_return AgentOutcome{AgentOutcomeKind::kCancelled, "cancelled", "cancelled", {}};
    if (!state.pending) {
      if (state.iteration >= state.max_iterations)
        co_return AgentOutcome{AgentOutcomeKind::kEscalate,
                               "max_iterations",
                               "agent " + task_.agent->name + " reached its limit of " +
                                   std::to_string(state.max_iterations) + " iterations on " + task_.step,
                               {}};
      if (auto stop = co_await callModel(state)) co_return *stop;
    }
    co_await runDelegations(state);
    if (auto stop = runTools(state)) co_return *stop;
  }
  co_return AgentOutcome{};
}

boost::asio::awaitable<std::optional<AgentOutcome>> AgentLoop::callModel(AgentRunState& state) {
  llm::ChatRequest request;
  request.model = task_.agent->llm;  // "": the policy's model
  request.messages = state.messages;
  request.tools = offeredTools();
  request.max_tokens = task_.agent->max_output_tokens;
  FitOptions fit_options;
  std::int64_t window = task_.agent->context_window ? task_.agent->context_window
                                                    : env_.model.contextWindow(state.policy_role);
  if (window > 0) fit_options.context_window = window;
  fit_options.safety_buffer = task_.safety_buffer;
  fit_options.output_reserve = task_.agent->max_output_tokens;
  auto fit = fitToContext(std::move(request), fit_options);
  if (!fit) co_return AgentOutcome{AgentOutcomeKind::kFailed, "context", fit.error().message, {}};
  auto estimate = fit->estimated_tokens + task_.agent->max_output_tokens;
  if (auto breach = env_.budget.checkBefore(task_.agent->name, estimate)) {
    // Escalation, in order: a cheaper model, a shrunk prompt, then the
    // crew's on_budget (an approval or a failure).
    if (!task_.agent->cheaper_model.empty() && state.policy_role != task_.agent->cheaper_model) {
      state.policy_role = task_.agent->cheaper_model;
      report("budget.cheaper_model", json::object{{"policy", state.policy_role}, {"why", breach->math()}});
    } else if (auto shrunk = shrinkToBudget(*fit, *breach, fit_options)) {
      report("budget.shrunk_prompt", json::object{{"why", breach->math()},
                                                  {"tokens_before", fit->estimated_tokens},
                                                  {"tokens_after", shrunk->estimated_tokens}});
      fit = std::move(*shrunk);
    } else {
      co_return AgentOutcome{AgentOutcomeKind::kEscalate, "budget", breach->math(), breach};
    }
  }
  if (!state.conversation_id) {
    if (auto ok = env_.journal.open(state); !ok) co_return storeFailure("cannot record the step: ", ok.error());
  }
  report("llm_call.start",
         json::object{{"policy", state.policy_role}, {"iteration", state.iteration}, {"estimated_tokens", estimate}});
  llm::CallContext ctx;
  ctx.tenant_id = env_.tenant_id;
  ctx.execution_id = env_.execution_id;
  ctx.api_key_id = env_.api_key_id;
  ctx.conversation_id = state.conversation_id;
  ctx.budget_snapshot = env_.budget.snapshot(task_.agent->name);
  ctx.truncated_sections = fit->truncated_sections;
  ctx.options.agent = task_.agent->name;
  ctx.options.step = task_.step;
  ctx.options.call_index = state.iteration;
  ctx.trace = env_.trace;
  ctx.request_id = env_.request_id;
  if (env_.metrics) env_.metrics->agentStep();
  auto reply = co_await env_.model.call(state.policy_role, std::move(fit->request), std::move(ctx));
  if (!reply) {
    // The answer could not be recorded because the store is unreachable: as
    // any store failure, the run stops and resumes from its checkpoint.
    const auto& details = reply.error().details;
    if (details.is_object() && details.as_object().contains("record"))
      co_return storeFailure("model call failed: ", reply.error());
    co_return AgentOutcome{AgentOutcomeKind::kFailed, "model", "model call failed: " + reply.error().message, {}};
  }
  const auto& usage = reply->response.usage;
  Spend spent{usage.total_tokens, reply->cost};
  env_.budget.charge(task_.agent->name, spent);
  ++state.iteration;
  state.pending = reply->response;
  json::object meta{{"tool_calls", toolCallsJson(reply->response.message.tool_calls)},
                    {"model", reply->model},
                    {"provider", reply->provider},
                    {"llm_call_id", reply->call_id},
                    {"prompt_tokens", usage.prompt_tokens},
                    {"completion_tokens", usage.completion_tokens},
                    {"cost", reply->cost}};
  json::object event{{"agent", task_.agent->name},   {"step", task_.step},  {"model", reply->model},
                     {"tokens", usage.total_tokens}, {"cost", reply->cost}, {"llm_call_id", reply->call_id},
                     {"iteration", state.iteration}};
  TurnRecords records;
  records.messages.push_back(storeMessage("assistant", reply->response.message.content, meta));
  records.events.emplace_back("agent.llm_call", event);
  if (auto ok = env_.journal.commit(state, std::move(records)); !ok)
    co_return storeFailure("could not checkpoint: ", ok.error());
  report("llm_call", event);
  if (auto breach = env_.budget.checkStep(spent))
    co_return AgentOutcome{AgentOutcomeKind::kEscalate, "budget", breach->math(), breach};
  co_return std::nullopt;
}

json::value AgentLoop::invokeTool(const llm::ToolCall& call, bool& changed) {
  if (auto it = delegated_.find(call.id); it != delegated_.end()) return it->second;
  auto allowed = std::find(task_.agent->tools.begin(), task_.agent->tools.end(), call.name) != task_.agent->tools.end();
  if (!allowed) return json::object{{"error", "tool " + call.name + " is not available to this agent"}};
  boost::system::error_code ec;
  json::value args = json::parse(call.arguments.empty() ? "{}" : call.arguments, ec);
  if (ec) return json::object{{"error", "the arguments are not valid JSON: " + ec.message()}};
  if (mutatingTools().count(call.name) && args.is_object()) {
    for (const char* key : {"path", "from", "to"}) {
      const auto* p = args.as_object().if_contains(key);
      if (!p || !p->is_string()) continue;
      std::string path(p->as_string());
      if (!env_.locks.tryLock(path, task_.lock_owner))
        return json::object{{"error", "file " + path + " is being edited by " + env_.locks.holder(path).value_or("?") +
                                          "; work on another file or wait"}};
    }
  }
  auto result = env_.tools.invoke(call.name, args, env_.tool_context);
  if (!result)
    return json::object{{"error", result.error().message},
                        {"code", core::errorCodeName(result.error().code)},
                        {"details", result.error().details}};
  if (mutatingTools().count(call.name)) changed = true;
  return std::move(result).value();
}

std::optional<AgentOutcome> AgentLoop::runTools(AgentRunState& state) {
  const llm::ChatResponse reply = *state.pending;
  const auto& calls = reply.message.tool_calls;
  if (calls.empty()) return finishTurn(state);
  TurnRecords records;
  std::vector<llm::Message> answers;
  bool changed = false;
  std::optional<AgentOutcome> loop;
  for (const auto& call : calls) {
    std::string fingerprint = core::sha256Hex(call.name + "\n" + canonicalArgs(call.arguments));
    bool repeat = std::find(state.seen_calls.begin(), state.seen_calls.end(), fingerprint) != state.seen_calls.end();
    json::value result;
    if (repeat && !loop) {
      loop = AgentOutcome{AgentOutcomeKind::kEscalate,
                          "loop",
                          "agent " + task_.agent->name + " repeated " + call.name + " with the same arguments " +
                              call.arguments + " without changing the workspace",
                          {}};
    }
    const bool allowed = std::find(task_.agent->tools.begin(), task_.agent->tools.end(), call.name) !=
                         task_.agent->tools.end();
    telemetry::Span span;
    if (env_.tracer)
      span = env_.tracer->start("execute_tool " + (allowed ? call.name : std::string("unknown")),
                                telemetry::SpanKind::kInternal, env_.trace,
                                {{"gen_ai.operation.name", std::string("execute_tool")},
                                 {"gen_ai.tool.name", call.name},
                                 {"gen_ai.tool.call.id", call.id}});
    if (loop) {
      result = json::object{{"error", "not run: the same call was already made with no change since"}};
    } else {
      result = invokeTool(call, changed);
      state.seen_calls.push_back(fingerprint);
    }
    const bool tool_ok = !result.as_object().contains("error");
    if (!tool_ok) {
      const auto& error = result.as_object().at("error");
      span.setError(error.is_string() ? std::string(error.as_string()) : json::serialize(error));
    }
    span.end();
    if (env_.metrics) env_.metrics->toolCall(allowed ? call.name : "unknown", tool_ok);
    std::string text = json::serialize(result);
    answers.push_back(llm::Message::toolResult(call.id, call.name, text));
    records.messages.push_back(
        storeMessage("tool", text, json::object{{"tool_call_id", call.id}, {"name", call.name}}));
    json::object ev{{"agent", task_.agent->name},
                    {"step", task_.step},
                    {"tool", call.name},
                    {"tool_call_id", call.id},
                    {"ok", tool_ok}};
    records.events.emplace_back("agent.tool_call", ev);
    report("tool_call", ev);
  }
  if (changed) {
    state.seen_calls.clear();
    state.turns_without_change = 0;
  } else {
    ++state.turns_without_change;
  }
  state.messages.push_back(reply.message);
  for (auto& a : answers) state.messages.push_back(std::move(a));
  state.pending.reset();
  if (auto ok = env_.journal.commit(state, std::move(records)); !ok)
    return storeFailure("could not checkpoint: ", ok.error());
  if (loop) return loop;
  if (task_.stall_turns > 0 && state.turns_without_change >= task_.stall_turns)
    return AgentOutcome{AgentOutcomeKind::kEscalate,
                        "stall",
                        "agent " + task_.agent->name + " made " + std::to_string(state.turns_without_change) +
                            " turns without changing the workspace",
                        {}};
  return std::nullopt;
}

std::optional<AgentOutcome> AgentLoop::finishTurn(AgentRunState& state) {
  const llm::ChatResponse reply = *state.pending;
  state.pending.reset();
  state.messages.push_back(reply.message);
  TurnRecords records;
  if (task_.output != OutputKind::kText) {
    auto parsed = parseStructuredOutput(task_.output, reply.message.content);
    if (parsed && task_.output == OutputKind::kPlan) {
      if (auto plan = parsePlan(*parsed); !plan) parsed = plan.error();
    }
    if (!parsed) {
      json::object ev{{"agent", task_.agent->name},
                      {"step", task_.step},
                      {"violation", parsed.error().message},
                      {"retry", state.guardrail_retries + 1}};
      records.events.emplace_back("agent.guardrail_violation", ev);
      report("guardrail_violation", ev);
      if (state.guardrail_retries >= task_.guardrail_retries) {
        (void)env_.journal.commit(state, std::move(records));
        return AgentOutcome{AgentOutcomeKind::kFailed,
                            "guardrail",
                            "the " + std::string(outputKindName(task_.output)) + " was still invalid after " +
                                std::to_string(task_.guardrail_retries) + " retries: " + parsed.error().message,
                            {}};
      }
      ++state.guardrail_retries;
      std::string feedback = "Your answer was rejected: " + parsed.error().message +
                             "\nAnswer again with only the JSON object, matching this schema:\n" +
                             json::serialize(outputSchema(task_.output));
      state.messages.push_back(llm::Message::user(feedback));
      records.messages.push_back(storeMessage("user", feedback, json::object{{"guardrail", true}}));
      if (auto ok = env_.journal.commit(state, std::move(records)); !ok)
        return storeFailure("could not checkpoint: ", ok.error());
      return std::nullopt;
    }
    state.structured = std::move(parsed).value();
  }
  state.finished = true;
  state.output = reply.message.content;
  records.events.emplace_back("agent.finished", json::object{{"agent", task_.agent->name}, {"step", task_.step}});
  if (auto ok = env_.journal.commit(state, std::move(records)); !ok)
    return storeFailure("could not checkpoint: ", ok.error());
  report("agent_finished", json::object{});
  return std::nullopt;
}

}  // namespace codecrew::engine
