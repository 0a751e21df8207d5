// ReplayProvider: serves a cassette back instead of calling a model. A call
// is matched by (agent, step, call_index) from its CallOptions; with
// strict_prompts the request's prompt hash must equal the recorded one, and a
// mismatch fails with kFailedPrecondition naming the call and the first field
// that differs (e.g. "messages[2].content"). Streams replay their recorded
// deltas in order (without the recorded pauses), then return the response;
// an entry with a response and no recorded deltas (a hand-written cassette)
// streams that response as a model would: its text in word-sized pieces,
// each tool call, the usage, the finish. Recorded errors are returned as
// they were.
// Thread-safety: immutable after construction; safe for concurrent calls.
#pragma once

#include "llm/cassette/cassette.h"
#include "llm/provider.h"

#include <map>
#include <tuple>

namespace codecrew::llm {

class ReplayProvider final : public Provider {
 public:
  struct Options {
    bool strict_prompts = false;
    std::string name = "replay";
  };

  ReplayProvider(Cassette cassette, Options options);

  const std::string& name() const override { return options_.name; }
  const std::string& kind() const override { return kind_; }
  boost::asio::awaitable<core::Result<ChatResponse>> chat(const ChatRequest& request,
                                                          const CallOptions& options) override;
  boost::asio::awaitable<core::Result<ChatResponse>> stream(const ChatRequest& request, const CallOptions& options,
                                                            DeltaSink on_delta) override;

  // The first JSON path where two requests differ ("" if equal), model aside.
  static std::string firstDifference(const ChatRequest& recorded, const ChatRequest& actual);

 private:
  core::Result<const CassetteEntry*> find(const ChatRequest& request, const CallOptions& options) const;

  Cassette cassette_;
  Options options_;
  std::string kind_ = "replay";
  std::map<std::tuple<std::string, std::string, int>, std::size_t> index_;
};

}  // namespace codecrew::llm
