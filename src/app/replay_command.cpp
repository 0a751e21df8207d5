#include "app/replay_command.h"

#include "llm/cassette/cassette.h"

#include <iomanip>
#include <set>

namespace codecrew::app {
using namespace codecrew::llm;

int runReplayCommand(const std::string& path, std::ostream& out, std::ostream& err) {
  auto cassette = Cassette::load(path);
  if (!cassette.ok()) {
    err << "replay: " << cassette.error().message << "\n";
    return 1;
  }
  const auto& c = cassette.value();
  out << "cassette " << path << "\n";
  out << "origin: " << c.header.origin << (c.header.created_at.empty() ? "" : ", created " + c.header.created_at)
      << (c.header.note.empty() ? "" : " (" + c.header.note + ")") << "\n";
  std::int64_t prompt = 0, completion = 0;
  int errors = 0;
  std::set<std::string> models;
  for (const auto& e : c.entries) {
    out << "  " << std::left << std::setw(14) << e.agent << " " << std::setw(12) << e.step << " #" << e.index << "  "
        << e.provider << "/" << e.model << "  " << e.mode;
    if (e.response) {
      out << "  " << e.response->usage.prompt_tokens << "+" << e.response->usage.completion_tokens << " tokens";
      if (!e.response->message.tool_calls.empty())
        out << ", " << e.response->message.tool_calls.size() << " tool call(s)";
      prompt += e.response->usage.prompt_tokens;
      completion += e.response->usage.completion_tokens;
    }
    if (e.error) {
      out << "  error: " << e.error->message;
      ++errors;
    }
    out << "\n";
    models.insert(e.model);
  }
  out << c.entries.size() << " call(s), " << errors << " error(s), " << prompt << " prompt + " << completion
      << " completion tokens, models:";
  for (const auto& m : models) out << " " << m;
  out << "\n";
  return 0;
}

}  // namespace codecrew::app
