// Fuzz target: a GitHub webhook delivery after its signature: the first
// byte picks the event name (and whether the body is form-encoded), the
// rest is the body; webhookPayloadText then parseWebhook, as the route does.
#include "fuzz_input.h"
#include "integrations/github/webhook_event.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace gh = codecrew::integrations::github;
  if (size == 0) return 0;
  static constexpr std::array<const char*, 9> kEvents = {"ping",
                                                         "pull_request",
                                                         "check_run",
                                                         "check_suite",
                                                         "pull_request_review",
                                                         "pull_request_review_comment",
                                                         "issue_comment",
                                                         "push",
                                                         "workflow_run"};
  const auto event = kEvents[data[0] % kEvents.size()];
  const bool form = (data[0] & 0x80) != 0;
  auto text = gh::webhookPayloadText(form ? "application/x-www-form-urlencoded" : "application/json",
                                     std::string(codecrew::fuzz::asText(data + 1, size - 1)));
  if (!text.ok()) return 0;
  auto parsed = gh::parseWebhook(event, "fuzz-delivery", text.value());
  if (parsed.ok()) (void)gh::hostEventKindName(parsed.value().kind);
  return 0;
}
