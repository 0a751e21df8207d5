// Fuzz target: the OllamaWire stream decoder (and whole-body decoder) of src/llm/providers.
#include "llm/providers/ollama_wire.h"
#include "stream_decoder_fuzz.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const codecrew::llm::OllamaWire wire(
      codecrew::llm::Endpoint{.base_url = "http://127.0.0.1:9/v1", .api_key = "k"});
  return codecrew::fuzz::fuzzStreamDecoder(wire, data, size);
}
