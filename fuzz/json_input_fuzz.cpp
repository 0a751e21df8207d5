// Fuzz target: api::JsonInput, the reader and validator of JSON request
// bodies: parse, then the field readers of a typical route (string with
// bounds, enum, integer range, object) and finish(), which lists every problem.
#include "api/json_input.h"
#include "fuzz_input.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using codecrew::api::JsonInput;
  auto input = JsonInput::parse(codecrew::fuzz::asText(data, size));
  if (!input.ok()) return 0;
  JsonInput& in = input.value();
  (void)in.string("name", true, 1, 200);
  (void)in.string("description", false, 0, 4000);
  (void)in.enumString("kind", false, {"crew", "workflow", "review"});
  (void)in.integer("max_attempts", false, 1, 10);
  (void)in.integer("offset", false, INT64_MIN, INT64_MAX);
  (void)in.object("inputs", false);
  auto status = in.finish();
  if (!status.ok()) (void)status.error().message;
  return 0;
}
