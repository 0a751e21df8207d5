// SQL for conversations (one agent step) and their messages. Each function
// runs inside a transaction the caller (SqlStore) has opened on conn.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "store/sql/connection.h"
#include "store/store.h"

namespace codecrew::store::sql {

// timestamp 0 takes now.
Result<Conversation> createConversation(Connection& conn, Millis now, const Conversation& c);
Result<Conversation> getConversation(Connection& conn, Id tenant_id, Id id);
// Writes agent, step, prompt, output, details, total_tokens_used and total_cost.
Result<Conversation> updateConversation(Connection& conn, Millis now, const Conversation& c);
Result<std::vector<Conversation>> listConversations(Connection& conn, Id tenant_id, Id workflow_id);
Result<Message> addMessage(Connection& conn, Millis now, const Message& m);
Result<std::vector<Message>> listMessages(Connection& conn, Id tenant_id, Id conversation_id);

}  // namespace codecrew::store::sql
