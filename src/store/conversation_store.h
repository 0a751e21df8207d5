// ConversationStore: the conversations of a workflow's agents and their
// messages. The model calls made in a conversation are in LlmCallStore.
// The contracts of store.h hold (tenant scoping, one transaction a call).
#pragma once

#include "store/store_types.h"

#include <vector>

namespace codecrew::store {

class ConversationStore {
 public:
  virtual ~ConversationStore() = default;

  virtual Result<Conversation> createConversation(const Conversation& c) = 0;
  virtual Result<Conversation> getConversation(Id tenant_id, Id id) = 0;
  virtual Result<Conversation> updateConversation(const Conversation& c) = 0;
  virtual Result<std::vector<Conversation>> listConversations(Id tenant_id, Id workflow_id) = 0;
  virtual Result<Message> addMessage(const Message& m) = 0;
  virtual Result<std::vector<Message>> listMessages(Id tenant_id, Id conversation_id) = 0;
};

}  // namespace codecrew::store
