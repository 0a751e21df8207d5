#include "store/sql/conversation_queries.h"

#include "store/sql/query_support.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace codecrew::store::sql {
namespace {

constexpr std::string_view kConversationColumns =
    "id, tenant_id, workflow_id, execution_id, agent, step, prompt, output, details, timestamp, "
    "total_tokens_used, total_cost, created_at, updated_at";

Conversation readConversation(const Statement& s) {
  Conversation c;
  c.id = s.i64(0);
  c.tenant_id = s.i64(1);
  c.workflow_id = s.i64(2);
  c.execution_id = s.optI64(3);
  c.agent = s.text(4);
  c.step = s.text(5);
  c.prompt = s.text(6);
  c.output = s.text(7);
  c.details = s.text(8);
  c.timestamp = s.i64(9);
  c.total_tokens_used = s.i64(10);
  c.total_cost = s.f64(11);
  c.created_at = s.i64(12);
  c.updated_at = s.i64(13);
  return c;
}

constexpr std::string_view kMessageColumns =
    "id, tenant_id, conversation_id, role, content, artifacts, message_metadata, created_at";

Message readMessage(const Statement& s) {
  Message m;
  m.id = s.i64(0);
  m.tenant_id = s.i64(1);
  m.conversation_id = s.i64(2);
  m.role = s.text(3);
  m.content = s.text(4);
  m.artifacts = s.isNull(5) ? boost::json::value(boost::json::array()) : s.json(5);
  m.message_metadata = s.isNull(6) ? boost::json::value(boost::json::object()) : s.json(6);
  m.created_at = s.i64(7);
  return m;
}

bool isMessageRole(std::string_view role) {
  return role == "system" || role == "user" || role == "assistant" || role == "tool";
}

}  // namespace

Result<Conversation> createConversation(Connection& conn, Millis now, const Conversation& c) {
  if (auto st = requireWorkflowScope(conn, c.tenant_id, c.workflow_id, c.execution_id); !st.ok()) {
    return std::move(st).error();
  }
  auto ins =
      insertReturningId(conn,
                        "INSERT INTO conversations (tenant_id, workflow_id, execution_id, agent, step, prompt, output, "
                        "details, timestamp, total_tokens_used, total_cost, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        {c.tenant_id, c.workflow_id, sqlOpt(c.execution_id), c.agent, c.step, c.prompt, c.output,
                         c.details, c.timestamp > 0 ? c.timestamp : now, c.total_tokens_used, c.total_cost, now, now});
  if (!ins.ok()) return std::move(ins).error();
  return getConversation(conn, c.tenant_id, *ins);
}

Result<Conversation> getConversation(Connection& conn, Id tenant_id, Id id) {
  return fetchExisting<Conversation>(conn,
                                     selectSql(kConversationColumns,
                                               "FROM conversations WHERE tenant_id = ? AND id = ?"),
                                     {tenant_id, id}, readConversation, "conversation", id);
}

Result<Conversation> updateConversation(Connection& conn, Millis now, const Conversation& c) {
  auto changed = execute(conn,
                         "UPDATE conversations SET agent = ?, step = ?, prompt = ?, output = ?, details = ?, "
                         "total_tokens_used = ?, total_cost = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
                         {c.agent, c.step, c.prompt, c.output, c.details, c.total_tokens_used, c.total_cost, now,
                          c.tenant_id, c.id});
  if (!changed.ok()) return std::move(changed).error();
  if (*changed == 0) return notFound("conversation", c.id);
  return getConversation(conn, c.tenant_id, c.id);
}

Result<std::vector<Conversation>> listConversations(Connection& conn, Id tenant_id, Id workflow_id) {
  if (auto st = requireOwned(conn, "workflows", "workflow", tenant_id, workflow_id); !st.ok()) {
    return std::move(st).error();
  }
  return fetchAll<Conversation>(conn,
                                selectSql(kConversationColumns,
                                          "FROM conversations WHERE tenant_id = ? AND workflow_id = ? ORDER BY id"),
                                {tenant_id, workflow_id}, readConversation);
}

Result<Message> addMessage(Connection& conn, Millis now, const Message& m) {
  if (!isMessageRole(m.role)) {
    return core::Error::invalidArgument("message role must be one of system, user, assistant, tool",
                                        boost::json::object{{"role", m.role}});
  }
  if (auto st = requireOwned(conn, "conversations", "conversation", m.tenant_id, m.conversation_id); !st.ok()) {
    return std::move(st).error();
  }
  auto ins = insertReturningId(
      conn,
      "INSERT INTO messages (tenant_id, conversation_id, role, content, artifacts, message_metadata, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {m.tenant_id, m.conversation_id, m.role, m.content, sqlJson(m.artifacts), sqlJson(m.message_metadata), now});
  if (!ins.ok()) return std::move(ins).error();
  return fetchExisting<Message>(conn, selectSql(kMessageColumns, "FROM messages WHERE id = ?"), {*ins}, readMessage,
                                "message", *ins);
}

Result<std::vector<Message>> listMessages(Connection& conn, Id tenant_id, Id conversation_id) {
  if (auto st = requireOwned(conn, "conversations", "conversation", tenant_id, conversation_id); !st.ok()) {
    return std::move(st).error();
  }
  return fetchAll<Message>(conn,
                           selectSql(kMessageColumns,
                                     "FROM messages WHERE tenant_id = ? AND conversation_id = ? ORDER BY id"),
                           {tenant_id, conversation_id}, readMessage);
}

}  // namespace codecrew::store::sql
