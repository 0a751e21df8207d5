#include "engine/journaled_model_client.h"

#include "llm/types_json.h"

namespace codecrew::engine {

JournaledModelClient::JournaledModelClient(std::shared_ptr<ModelClient> inner, std::shared_ptr<store::Store> store)
    : inner_(std::move(inner)), store_(std::move(store)) {}

std::int64_t JournaledModelClient::contextWindow(const std::string& policy_role) const {
  return inner_->contextWindow(policy_role);
}

bool JournaledModelClient::caughtUp(core::Id conversation_id, int call_index) {
  std::lock_guard lock(mu_);
  auto it = caught_up_.find(conversation_id);
  return it != caught_up_.end() && call_index >= it->second;
}

void JournaledModelClient::markCaughtUp(core::Id conversation_id, int from_index) {
  std::lock_guard lock(mu_);
  caught_up_[conversation_id] = from_index;
}

std::optional<ModelReply> JournaledModelClient::recordedAnswer(const llm::CallContext& context) const {
  if (!context.conversation_id || context.options.call_index < 0) return std::nullopt;
  store::LlmCallQuery q;
  q.conversation_id = context.conversation_id;
  q.sort_by = "id";
  q.descending = false;
  q.page = {1, 200};
  int answered = 0;
  for (int page = 1;; ++page) {
    q.page.page = page;
    auto calls = store_->listLlmCalls(context.tenant_id, q);
    if (!calls || calls->items.empty()) return std::nullopt;
    for (const auto& c : calls->items) {
      if (c.status != store::CallStatus::kSuccess && c.status != store::CallStatus::kTruncated) continue;
      if (answered++ != context.options.call_index) continue;
      const auto* data = c.response_data.if_object();
      const auto* normalized = data ? data->if_contains("normalized") : nullptr;
      if (!normalized) return std::nullopt;
      auto response = llm::chatResponseFromJson(*normalized);
      if (!response) return std::nullopt;
      return ModelReply{std::move(response).value(), c.provider, c.model, c.cost, c.id};
    }
    if (static_cast<std::int64_t>(page) * q.page.page_size >= calls->total) return std::nullopt;
  }
}

boost::asio::awaitable<core::Result<ModelReply>> JournaledModelClient::call(const std::string& policy_role,
                                                                            llm::ChatRequest request,
                                                                            llm::CallContext context) {
  // Plain statements around co_await: GCC 12 mishandles temporaries and
  // if-initialisers that live across a suspension.
  std::optional<ModelReply> recorded;
  const std::optional<core::Id> conversation = context.conversation_id;
  const int index = context.options.call_index;
  if (conversation && !caughtUp(*conversation, index)) {
    recorded = recordedAnswer(context);
    if (!recorded) markCaughtUp(*conversation, index);
  }
  if (recorded.has_value()) {
    core::Result<ModelReply> out = std::move(recorded).value();
    co_return out;
  }
  core::Result<ModelReply> reply = co_await inner_->call(policy_role, std::move(request), std::move(context));
  // Answered (and recorded): a later ask for this index is a resume.
  if (reply && conversation && index >= 0) markCaughtUp(*conversation, index + 1);
  co_return reply;
}

}  // namespace codecrew::engine
