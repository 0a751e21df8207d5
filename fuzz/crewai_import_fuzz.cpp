// Fuzz target: the import of a CrewAI crew (src/engine/crewai_import.cpp
// importCrewAi). The input is agents.yaml, then a NUL, then tasks.yaml.
#include "engine/crewai_import.h"
#include "fuzz_input.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace codecrew;
  auto [agents, tasks] = fuzz::splitAtNul(fuzz::asText(data, size));
  auto crew = engine::importCrewAi("fuzzed", agents, tasks);
  if (crew.ok()) (void)crew.value().lifecycleOptions();
  return 0;
}
