// Fuzz target: the cassette reader (src/llm/cassette, the JSONL recordings
// that `codecrew replay` and --replay read). What parses is written back out
// (headerLine, entryLine) and must parse again.
#include "fuzz_input.h"
#include "llm/cassette/cassette.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace codecrew;
  auto cassette = llm::Cassette::parse(fuzz::asText(data, size));
  if (!cassette.ok()) return 0;
  std::string written = llm::headerLine(cassette.value().header) + "\n";
  for (const auto& entry : cassette.value().entries) written += llm::entryLine(entry) + "\n";
  auto again = llm::Cassette::parse(written);
  if (!again.ok()) {
    std::fprintf(stderr, "cassette: a parsed cassette, written back, does not parse: %s\n%s",
                 again.error().message.c_str(), written.c_str());
    std::abort();
  }
  return 0;
}
