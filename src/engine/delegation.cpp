#include "engine/delegation.h"

#include <boost/json/parse.hpp>

#include <algorithm>

namespace codecrew::engine {
namespace {

namespace json = boost::json;

std::string lowered(std::string s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  s = b == std::string::npos ? "" : s.substr(b, s.find_last_not_of(ws) - b + 1);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string coworkerList(const CrewSpec& crew, const AgentSpec& self) {
  std::string out;
  for (const auto& [name, a] : crew.agents)
    if (name != self.name) out += (out.empty() ? "" : ", ") + a.role + " (" + name + ")";
  return out;
}

json::object toolSchema(const char* ask, const char* ask_text) {
  return json::object{{"type", "object"},
                      {"properties",
                       json::object{{"coworker",
                                     json::object{{"type", "string"}, {"description", "the coworker's role or name"}}},
                                    {ask, json::object{{"type", "string"}, {"description", ask_text}}},
                                    {"context", json::object{{"type", "string"},
                                                             {"description",
                                                              "everything the coworker needs to know: they know "
                                                              "nothing about your task"}}}}},
                      {"required", json::array{"coworker", ask, "context"}}};
}

std::string stringArg(const json::object& args, const char* key) {
  const auto* v = args.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

std::vector<llm::ToolSpec> delegationTools(const CrewSpec& crew, const AgentSpec& self) {
  std::string coworkers = coworkerList(crew, self);
  if (coworkers.empty()) return {};
  std::string share =
      "\nThe input to this tool should be the coworker, the %s, and ALL necessary context: they know nothing "
      "about it, so share absolutely everything you know, don't reference things but explain them.";
  auto with = [&](const char* what) {
    std::string s = share;
    s.replace(s.find("%s"), 2, what);
    return s;
  };
  return {llm::ToolSpec{"delegate_work",
                        "Delegate a specific task to one of the following coworkers: " + coworkers +
                            with("task you want them to do"),
                        toolSchema("task", "the task, fully described")},
          llm::ToolSpec{"ask_question",
                        "Ask a specific question to one of the following coworkers: " + coworkers +
                            with("question you have for them"),
                        toolSchema("question", "the question")}};
}

core::Result<TaskSpec> delegatedTask(const CrewSpec& crew, const AgentSpec& self, const llm::ToolCall& call) {
  boost::system::error_code ec;
  json::value args = json::parse(call.arguments.empty() ? "{}" : call.arguments, ec);
  if (ec || !args.is_object()) return core::Error::invalidArgument("the arguments must be a JSON object");
  const auto& a = args.as_object();
  const bool question = call.name == "ask_question";
  std::string ask = stringArg(a, question ? "question" : "task");
  std::string wanted = lowered(stringArg(a, "coworker"));
  if (ask.empty())
    return core::Error::invalidArgument(std::string("say the ") + (question ? "question" : "task") +
                                        " for your coworker");
  const AgentSpec* coworker = nullptr;
  for (const auto& [name, agent] : crew.agents)
    if (name != self.name && (lowered(name) == wanted || lowered(agent.role) == wanted)) coworker = &agent;
  if (!coworker)
    return core::Error::invalidArgument("no coworker " + stringArg(a, "coworker") +
                                        "; the coworkers are: " + coworkerList(crew, self));
  TaskSpec t;
  t.name = "delegated";
  t.agent = coworker->name;
  t.description = ask;
  std::string context = stringArg(a, "context");
  if (!context.empty()) t.description += "\n\nThis is the context you're working with:\n" + context;
  t.expected_output = "Your best answer to your coworker " + self.role +
                      " asking you this, accounting for the "
                      "context shared.";
  return t;
}

}  // namespace codecrew::engine
