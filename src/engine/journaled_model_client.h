// JournaledModelClient: a ModelClient that never pays twice for one answer.
// The router records every answered call (with its normalized response)
// before the engine sees it, and the engine checkpoints the answer a moment
// later; a process that dies in between would ask the model again on
// resume. This decorator looks first: when the step's conversation already
// holds more answered calls than the agent has consumed (the call index),
// the next recorded answer is returned as it was, with its provider, model,
// cost and call id, and no model is called. A conversation is looked up
// until a lookup finds nothing new; after that every answer recorded in this
// process was consumed as it came, so a long step costs one lookup, not one
// per call — unless a call asks again for an index this process already
// answered (a run that stopped before its checkpoint, resumed by the same
// process, as a worker does), which is looked up again.
// Thread-safety: as the wrapped client; the Store is thread-safe.
#pragma once

#include "engine/model_client.h"
#include "store/store.h"

#include <memory>
#include <mutex>
#include <unordered_map>

namespace codecrew::engine {

class JournaledModelClient final : public ModelClient {
 public:
  JournaledModelClient(std::shared_ptr<ModelClient> inner, std::shared_ptr<store::Store> store);

  boost::asio::awaitable<core::Result<ModelReply>> call(const std::string& policy_role, llm::ChatRequest request,
                                                        llm::CallContext context) override;
  std::int64_t contextWindow(const std::string& policy_role) const override;

 private:
  // The answer recorded for the call_index-th answered call of the
  // conversation, if there is one.
  std::optional<ModelReply> recordedAnswer(const llm::CallContext& context) const;

  // Whether nothing is recorded for the conversation at call_index or after.
  bool caughtUp(core::Id conversation_id, int call_index);
  void markCaughtUp(core::Id conversation_id, int from_index);

  std::shared_ptr<ModelClient> inner_;
  std::shared_ptr<store::Store> store_;
  std::mutex mu_;
  // Conversation -> the call index from which nothing recorded is left to
  // serve; guarded by mu_.
  std::unordered_map<core::Id, int> caught_up_;
};

}  // namespace codecrew::engine
