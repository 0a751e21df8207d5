#include "engine/crewai_import.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <set>

namespace codecrew::engine {
namespace {

using core::Error;

// CrewAI's default max_iter.
constexpr int kCrewAiMaxIter = 20;

// CrewAI tool names (lower case, without _ - and spaces) and codecrew's tools.
const std::map<std::string, std::vector<std::string>>& crewAiTools() {
  static const std::map<std::string, std::vector<std::string>> kTools = {
      {"filereadtool", {"read_file"}},
      {"filewritertool", {"write_file"}},
      {"filewritetool", {"write_file"}},
      {"directoryreadtool", {"list_files"}},
      {"directorysearchtool", {"search_text"}},
      {"codeinterpretertool", {"run_command"}},
      // CrewAI's RAG search tools: the repository's semantic index.
      {"codedocssearchtool", {"semantic_search"}},
      {"ragtool", {"semantic_search"}},
      {"mdxsearchtool", {"semantic_search"}},
      {"txtsearchtool", {"semantic_search"}},
  };
  return kTools;
}

const std::vector<std::string>& codecrewTools() {
  static const std::vector<std::string> kNames = {"read_file",   "write_file", "list_files",     "search_text",
                                                  "run_command", "edit_file",  "apply_patch",    "move_file",
                                                  "delete_file", "git_diff",   "git_status",     "git_commit",
                                                  "find_symbol", "repo_map",   "semantic_search"};
  return kNames;
}

const std::map<std::string, std::string>& displayNames() {
  static const std::map<std::string, std::string> kNames = {
      {"filereadtool", "FileReadTool"},
      {"filewritertool", "FileWriterTool"},
      {"filewritetool", "FileWriteTool"},
      {"directoryreadtool", "DirectoryReadTool"},
      {"directorysearchtool", "DirectorySearchTool"},
      {"codeinterpretertool", "CodeInterpreterTool"},
      {"codedocssearchtool", "CodeDocsSearchTool"},
      {"ragtool", "RagTool"},
      {"mdxsearchtool", "MDXSearchTool"},
      {"txtsearchtool", "TXTSearchTool"},
  };
  return kNames;
}

// Keys each side knows. Those that take effect are handled by name; the
// others are CrewAI's options with no effect in codecrew (a warning).
const std::set<std::string> kAgentKeys = {"role",  "goal",     "backstory",  "llm",
                                          "tools", "max_iter", "max_tokens", "allow_delegation"};
const std::set<std::string> kAgentNoEffect = {"verbose",
                                              "cache",
                                              "memory",
                                              "max_rpm",
                                              "max_execution_time",
                                              "respect_context_window",
                                              "function_calling_llm",
                                              "system_template",
                                              "prompt_template",
                                              "response_template",
                                              "allow_code_execution",
                                              "code_execution_mode",
                                              "max_retry_limit",
                                              "use_system_prompt",
                                              "multimodal",
                                              "inject_date",
                                              "date_format",
                                              "reasoning",
                                              "max_reasoning_attempts",
                                              "embedder",
                                              "knowledge_sources",
                                              "step_callback",
                                              "callbacks",
                                              "config",
                                              "knowledge",
                                              "knowledge_config",
                                              "guardrail",
                                              "planning_llm",
                                              "apps",
                                              "mcps"};
const std::set<std::string> kTaskKeys = {"description",     "expected_output", "agent",       "context", "tools",
                                         "async_execution", "output_file",     "human_input", "markdown"};
const std::set<std::string> kTaskNoEffect = {"name",
                                             "output_json",
                                             "output_pydantic",
                                             "callback",
                                             "guardrail",
                                             "guardrails",
                                             "max_retries",
                                             "create_directory",
                                             "config",
                                             "converter_cls",
                                             "security_config",
                                             "verbose",
                                             "guardrail_max_retries"};

template <typename... R>
std::optional<Error> firstError(const R&... results) {
  std::optional<Error> out;
  ((out || results.ok() ? void() : void(out = results.error())), ...);
  return out;
}

std::string normalToolKey(std::string name) {
  std::string out;
  for (unsigned char c : name)
    if (c != '_' && c != '-' && c != ' ') out += static_cast<char>(std::tolower(c));
  return out;
}

std::string trimmed(std::string s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

struct Reader {
  const YAML::Node& node;
  std::string where;  // "agents.yaml: researcher"

  core::Result<std::string> text(const char* key) const {
    const YAML::Node v = node[key];
    if (!v || v.IsNull()) return std::string();
    if (!v.IsScalar()) return Error::invalidArgument(where + ": " + key + " must be text");
    return trimmed(v.as<std::string>());
  }
  core::Result<std::optional<bool>> flag(const char* key) const {
    const YAML::Node v = node[key];
    if (!v || v.IsNull()) return std::optional<bool>();
    bool out = false;
    if (!v.IsScalar() || !YAML::convert<bool>::decode(v, out))
      return Error::invalidArgument(where + ": " + key + " must be true or false");
    return std::optional<bool>(out);
  }
  core::Result<std::optional<int>> count(const char* key) const {
    const YAML::Node v = node[key];
    if (!v || v.IsNull()) return std::optional<int>();
    int out = 0;
    if (!v.IsScalar() || !YAML::convert<int>::decode(v, out) || out < 1)
      return Error::invalidArgument(where + ": " + key + " must be a whole number of at least 1");
    return std::optional<int>(out);
  }
  core::Result<std::optional<std::vector<std::string>>> list(const char* key) const {
    const YAML::Node v = node[key];
    if (!v) return std::optional<std::vector<std::string>>();
    std::vector<std::string> out;
    if (v.IsNull()) return std::optional<std::vector<std::string>>(out);
    if (!v.IsSequence()) return Error::invalidArgument(where + ": " + key + " must be a list, e.g. [a, b]");
    for (const auto& item : v) {
      if (!item.IsScalar()) return Error::invalidArgument(where + ": each of " + key + " must be a name");
      out.push_back(trimmed(item.as<std::string>()));
    }
    return std::optional<std::vector<std::string>>(out);
  }
  // Errors for keys neither side knows, warnings for CrewAI's with no effect.
  core::Status keys(const std::set<std::string>& known, const std::set<std::string>& no_effect,
                    std::vector<std::string>& warnings) const {
    for (const auto& kv : node) {
      auto key = kv.first.as<std::string>();
      if (known.count(key)) continue;
      if (no_effect.count(key)) {
        warnings.push_back(where + ": " + key + " has no effect in codecrew");
        continue;
      }
      std::vector<std::string> all(known.begin(), known.end());
      return Error::invalidArgument(where + ": unknown key " + key + " (known: " + joined(all) + ")");
    }
    return core::okStatus();
  }
};

core::Result<std::vector<std::string>> mapTools(const std::vector<std::string>& names, const std::string& where) {
  std::vector<std::string> out;
  auto add = [&](const std::string& t) {
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  };
  for (const auto& name : names) {
    const auto& own = codecrewTools();
    if (std::find(own.begin(), own.end(), name) != own.end()) {
      add(name);
      continue;
    }
    auto it = crewAiTools().find(normalToolKey(name));
    if (it == crewAiTools().end())
      return Error::invalidArgument(where + ": tool " + name +
                                    " has no codecrew counterpart. Supported: " + joined(crewAiToolNames()));
    for (const auto& t : it->second) add(t);
  }
  return out;
}

core::Result<AgentSpec> readAgent(const std::string& name, const YAML::Node& n, std::vector<std::string>& warnings) {
  Reader r{n, "agents.yaml: " + name};
  if (!n.IsMap()) return Error::invalidArgument(r.where + " must be a mapping of role, goal, backstory, ...");
  if (auto ok = r.keys(kAgentKeys, kAgentNoEffect, warnings); !ok) return ok.error();
  AgentSpec a;
  a.name = name;
  auto role = r.text("role");
  auto goal = r.text("goal");
  auto backstory = r.text("backstory");
  auto llm = r.text("llm");
  auto tools = r.list("tools");
  auto max_iter = r.count("max_iter");
  auto max_tokens = r.count("max_tokens");
  auto delegation = r.flag("allow_delegation");
  if (auto e = firstError(role, goal, backstory, llm, tools, max_iter, max_tokens, delegation)) return *e;
  a.role = role->empty() ? name : *role;
  a.goal = *goal;
  a.backstory = *backstory;
  a.system_prompt = "You are " + a.role + ". " + a.backstory + "\nYour personal goal is: " + a.goal;
  a.llm = *llm;
  a.model = a.llm.empty() ? "default" : a.llm;
  a.max_iterations = max_iter->value_or(kCrewAiMaxIter);
  if (*max_tokens) a.max_output_tokens = **max_tokens;
  a.allow_delegation = delegation->value_or(false);
  if (*tools) {
    auto mapped = mapTools(**tools, r.where);
    if (!mapped) return mapped.error();
    a.tools = std::move(mapped).value();
  }
  return a;
}

// Where a task sits among those before it (CrewAI's sequential process).
struct Sequence {
  std::set<std::string> seen;
  std::optional<std::string> last_sync;
  std::vector<std::string> pending_async;  // since last_sync
};

core::Result<TaskSpec> readTask(const std::string& name, const YAML::Node& n, const CrewSpec& crew, Sequence& seq,
                                std::vector<std::string>& warnings) {
  Reader r{n, "tasks.yaml: " + name};
  if (!n.IsMap()) return Error::invalidArgument(r.where + " must be a mapping of description, expected_output, agent");
  if (auto ok = r.keys(kTaskKeys, kTaskNoEffect, warnings); !ok) return ok.error();
  auto description = r.text("description");
  auto expected = r.text("expected_output");
  auto agent = r.text("agent");
  auto output_file = r.text("output_file");
  auto context = r.list("context");
  auto tools = r.list("tools");
  auto async = r.flag("async_execution");
  auto human = r.flag("human_input");
  auto markdown = r.flag("markdown");
  if (auto e = firstError(description, expected, agent, output_file, context, tools, async, human, markdown)) return *e;
  TaskSpec t;
  t.name = name;
  t.description = *description;
  t.expected_output = *expected;
  t.agent = *agent;
  if (t.agent.empty())
    return Error::invalidArgument("task " + name + " has no agent: add `agent: <name>` to it in tasks.yaml (one of " +
                                  [&] {
                                    std::vector<std::string> names;
                                    for (const auto& [k, v] : crew.agents) names.push_back(k);
                                    return joined(names);
                                  }() +
                                  "); agents assigned in Python (crew.py) are not read");
  if (!crew.agent(t.agent)) {
    std::vector<std::string> names;
    for (const auto& [k, v] : crew.agents) names.push_back(k);
    return Error::invalidArgument("task " + name + " names agent " + t.agent +
                                  ", which agents.yaml does not define (agents: " + joined(names) + ")");
  }
  if (t.description.empty()) return Error::invalidArgument(r.where + ": description is required");
  t.output_file = *output_file;
  if (auto ok = checkOutputFile(t.output_file, r.where); !ok) return ok.error();
  t.async_execution = async->value_or(false);
  t.human_input = human->value_or(false);
  t.markdown = markdown->value_or(false);
  if (*tools && !(*tools)->empty()) {
    auto mapped = mapTools(**tools, r.where);
    if (!mapped) return mapped.error();
    t.tools = std::move(mapped).value();
  }
  if (*context) {
    for (const auto& dep : **context) {
      if (dep == name) return Error::invalidArgument("task " + name + " names itself in its context");
      if (!seq.seen.count(dep))
        return Error::invalidArgument("task " + name + " reads the context of " + dep + ", which " +
                                      "is not a task before it in tasks.yaml: context may name only earlier tasks");
    }
    t.context = **context;
  } else if (!t.async_execution && !seq.pending_async.empty()) {
    t.context = seq.pending_async;
  } else if (seq.last_sync) {
    t.context = {*seq.last_sync};
  }
  if (seq.last_sync) t.after.push_back(*seq.last_sync);
  if (!t.async_execution) t.after.insert(t.after.end(), seq.pending_async.begin(), seq.pending_async.end());
  seq.seen.insert(name);
  if (t.async_execution) {
    seq.pending_async.push_back(name);
  } else {
    seq.last_sync = name;
    seq.pending_async.clear();
  }
  return t;
}

}  // namespace

std::vector<std::string> crewAiToolNames() {
  std::vector<std::string> out;
  for (const auto& [key, tools] : crewAiTools()) out.push_back(displayNames().at(key) + " -> " + joined(tools));
  for (const auto& t : codecrewTools()) out.push_back(t);
  return out;
}

core::Status checkOutputFile(const std::string& path, const std::string& where) {
  if (path.empty()) return core::okStatus();
  const bool git = path == ".git" || path.starts_with(".git/") || path.find("/.git/") != std::string::npos ||
                   path.ends_with("/.git");
  if (path.front() == '/' || path.find("..") != std::string::npos || path.back() == '/' || git)
    return Error::invalidArgument(where + ": output_file " + path +
                                  " must be a file path inside the workspace, e.g. report.md or output/report.md");
  return core::okStatus();
}

core::Result<CrewSpec> importCrewAi(const std::string& name, std::string_view agents_yaml,
                                    std::string_view tasks_yaml) {
  YAML::Node agents, tasks;
  try {
    agents = YAML::Load(std::string(agents_yaml));
  } catch (const YAML::Exception& e) {
    return Error::invalidArgument(std::string("agents.yaml: ") + e.what());
  }
  try {
    tasks = YAML::Load(std::string(tasks_yaml));
  } catch (const YAML::Exception& e) {
    return Error::invalidArgument(std::string("tasks.yaml: ") + e.what());
  }
  if (!agents.IsMap() || agents.size() == 0)
    return Error::invalidArgument("agents.yaml must map each agent's name to its role, goal and backstory");
  if (!tasks.IsMap() || tasks.size() == 0)
    return Error::invalidArgument("tasks.yaml must map each task's name to its description, expected_output, agent");
  CrewSpec c;
  c.name = name;
  c.description = "imported from CrewAI agents.yaml and tasks.yaml (sequential process)";
  c.crewai = true;
  c.limits.max_parallel = 4;
  try {
    for (const auto& kv : agents) {
      auto a = readAgent(kv.first.as<std::string>(), kv.second, c.warnings);
      if (!a) return a.error();
      c.agents.emplace(a->name, std::move(a).value());
    }
    StageSpec stage{Stage::kBuild, {}};
    Sequence seq;
    for (const auto& kv : tasks) {
      auto t = readTask(kv.first.as<std::string>(), kv.second, c, seq, c.warnings);
      if (!t) return t.error();
      stage.tasks.push_back(std::move(t).value());
    }
    c.stages.push_back(std::move(stage));
  } catch (const YAML::Exception& e) {
    return Error::invalidArgument(std::string("CrewAI YAML: ") + e.what());
  }
  return c;
}

}  // namespace codecrew::engine
