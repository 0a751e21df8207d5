#include "engine/crew_inputs.h"

#include "engine/crewai_import.h"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <set>

namespace codecrew::engine {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxInputs = 100;
constexpr std::size_t kMaxInputBytes = 100'000;

bool identStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool identChar(char c) { return identStart(c) || (c >= '0' && c <= '9') || c == '-'; }

bool isIdentifier(std::string_view s) {
  if (s.empty() || !identStart(s[0])) return false;
  return std::all_of(s.begin(), s.end(), identChar);
}

// Calls fn(begin, end, name) for each placeholder of text ([begin, end) spans the braces).
template <typename Fn>
void eachPlaceholder(std::string_view text, Fn fn) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{' || (i > 0 && text[i - 1] == '{')) continue;
    std::size_t close = text.find('}', i + 1);
    if (close == std::string_view::npos) return;
    std::string_view name = text.substr(i + 1, close - i - 1);
    bool doubled = close + 1 < text.size() && text[close + 1] == '}';
    if (!doubled && isIdentifier(name)) {
      fn(i, close + 1, std::string(name));
      i = close;
    }
  }
}

std::string fill(std::string_view text, const CrewInputs& inputs) {
  std::string out;
  std::size_t pos = 0;
  eachPlaceholder(text, [&](std::size_t begin, std::size_t end, const std::string& name) {
    auto it = inputs.find(name);
    if (it == inputs.end()) return;
    out.append(text.substr(pos, begin - pos));
    out += it->second;
    pos = end;
  });
  out.append(text.substr(pos));
  return out;
}

template <typename Fn>
void eachText(CrewSpec& crew, Fn fn) {
  for (auto& [name, a] : crew.agents) {
    fn(a.role);
    fn(a.goal);
    fn(a.backstory);
    fn(a.system_prompt);
  }
  for (auto& s : crew.stages)
    for (auto& t : s.tasks) {
      fn(t.description);
      fn(t.expected_output);
      fn(t.output_file);
    }
}

}  // namespace

std::vector<std::string> placeholdersIn(std::string_view text) {
  std::vector<std::string> out;
  eachPlaceholder(text, [&](std::size_t, std::size_t, const std::string& name) {
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  });
  return out;
}

std::vector<std::string> crewPlaceholders(const CrewSpec& crew) {
  if (!crew.crewai) return {};
  std::set<std::string> names;
  CrewSpec copy = crew;
  eachText(copy, [&](std::string& text) {
    for (auto& n : placeholdersIn(text)) names.insert(n);
  });
  return {names.begin(), names.end()};
}

core::Result<CrewInputs> crewInputsFromJson(const json::value& value, const std::string& field) {
  CrewInputs out;
  if (value.is_null()) return out;
  if (!value.is_object())
    return core::Error::invalidArgument(field + " must be an object of strings, e.g. {\"topic\": \"AI agents\"}",
                                        json::object{{"field", field}});
  const auto& obj = value.as_object();
  if (obj.size() > kMaxInputs)
    return core::Error::invalidArgument(field + " may name at most 100 inputs", json::object{{"field", field}});
  for (const auto& [key, v] : obj) {
    std::string name(key);
    std::string where = field + "." + name;
    if (!isIdentifier(name))
      return core::Error::invalidArgument(
          where + ": an input's name is a placeholder name: letters, digits, _ and -, not starting with a digit",
          json::object{{"field", where}});
    std::string text;
    if (v.is_string()) text = std::string(v.as_string());
    else if (v.is_number() || v.is_bool()) text = json::serialize(v);
    else return core::Error::invalidArgument(where + " must be a string", json::object{{"field", where}});
    if (text.size() > kMaxInputBytes)
      return core::Error::invalidArgument(where + " must be at most 100000 bytes", json::object{{"field", where}});
    out[name] = std::move(text);
  }
  return out;
}

json::object crewInputsToJson(const CrewInputs& inputs) {
  json::object out;
  for (const auto& [k, v] : inputs) out[k] = v;
  return out;
}

CrewInputs mergeCrewInputs(const std::string& description, const CrewInputs& workflow, const CrewInputs& start) {
  CrewInputs out;
  if (!description.empty()) {
    out["description"] = description;
    out["goal"] = description;
  }
  for (const auto& [k, v] : workflow) out[k] = v;
  for (const auto& [k, v] : start) out[k] = v;
  return out;
}

core::Status checkCrewInputs(const CrewSpec& crew, const CrewInputs& inputs) {
  std::vector<std::string> missing;
  for (const auto& name : crewPlaceholders(crew))
    if (!inputs.count(name)) missing.push_back(name);
  if (missing.empty()) return core::okStatus();
  std::string names, example, flags;
  json::array list;
  for (const auto& n : missing) {
    names += (names.empty() ? "{" : ", {") + n + "}";
    example += (example.empty() ? "" : ", ") + ("\"" + n + "\": \"...\"");
    flags += " --input " + n + "=...";
    list.push_back(json::value(n));
  }
  return core::Error::invalidArgument("crew " + crew.name + " needs inputs that were not given: " + names +
                                          ". Give them as \"inputs\": {" + example +
                                          "} when creating the workflow or starting the execution, or as" + flags +
                                          " on codecrew run",
                                      json::object{{"field", "inputs"}, {"missing", std::move(list)}});
}

core::Result<CrewSpec> applyCrewInputs(CrewSpec crew, const CrewInputs& inputs) {
  if (!crew.crewai) return crew;
  auto names = crewPlaceholders(crew);
  if (auto ok = checkCrewInputs(crew, inputs); !ok) return ok.error();
  eachText(crew, [&](std::string& text) { text = fill(text, inputs); });
  for (const auto& stage : crew.stages)
    for (const auto& task : stage.tasks)
      if (auto ok = checkOutputFile(task.output_file, "task " + task.name + " (with its inputs)"); !ok)
        return ok.error();
  bool named = std::find(names.begin(), names.end(), "description") != names.end() ||
               std::find(names.begin(), names.end(), "goal") != names.end();
  auto desc = inputs.find("description");
  if (!named && desc != inputs.end() && !desc->second.empty() && !crew.stages.empty() &&
      !crew.stages.front().tasks.empty()) {
    auto& first = crew.stages.front().tasks.front();
    first.description = "The goal of this work: " + desc->second + "\n\n" + first.description;
  }
  return crew;
}

}  // namespace codecrew::engine
