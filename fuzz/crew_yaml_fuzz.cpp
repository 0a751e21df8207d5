// Fuzz target: the crew YAML loader (src/engine/crew.cpp parseCrewYaml), and
// a loaded crew's derived views (lifecycle options, rendered task texts).
#include "engine/crew.h"
#include "fuzz_input.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace codecrew;
  auto crew = engine::parseCrewYaml(fuzz::asText(data, size));
  if (!crew.ok()) return 0;
  (void)crew.value().lifecycleOptions();
  std::map<std::string, std::string> values{{"request", "r"}, {"plan", "p"}};
  for (const auto& [name, agent] : crew.value().agents) (void)engine::renderTemplate(agent.system_prompt, values);
  return 0;
}
