// SQL for conversations (one agent step) and their messages. Each function
// runs inside a transaction the caller (SqliteStore) has opened on conn.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "store/sqlite/sqlite_connection.h"
#include "store/store.h"

namespace codecrew::store::sqlite {

// timestamp 0 takes now.
Result<Conversation> createConversation(SqliteConnection& conn, Millis now, const Conversation& c);
Result<Conversation> getConversation(SqliteConnection& conn, Id tenant_id, Id id);
// Writes agent, step, prompt, output, details, total_tokens_used and total_cost.
Result<Conversation> updateConversation(SqliteConnection& conn, Millis now, const Conversation& c);
Result<std::vector<Conversation>> listConversations(SqliteConnection& conn, Id tenant_id, Id workflow_id);
Result<Message> addMessage(SqliteConnection& conn, Millis now, const Message& m);
Result<std::vector<Message>> listMessages(SqliteConnection& conn, Id tenant_id, Id conversation_id);

}  // namespace codecrew::store::sqlite
