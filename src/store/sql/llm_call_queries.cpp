#include "store/sql/llm_call_queries.h"

#include "store/sql/query_support.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <array>
#include <set>
#include <tuple>

namespace codecrew::store::sql {
namespace {

constexpr std::array<std::string_view, 6> kSortKeys = {"timestamp",        "model", "total_tokens",
                                                       "response_time_ms", "cost",  "id"};

// The text q searches (LIKE is case-insensitive for ASCII).
// q= finds a call by its model, status, error, bodies, or the request and
// trace it belongs to (an operator's way from a log line or a trace).
constexpr std::array<std::string_view, 7> kSearchColumns = {"model",
                                                            "status",
                                                            "error_code",
                                                            "request_id",
                                                            "trace_id",
                                                            "coalesce(request_data, '')",
                                                            "coalesce(response_data, '')"};

constexpr std::string_view kCallColumns =
    "id, tenant_id, conversation_id, execution_id, api_key_id, provider, model, prompt_tokens, completion_tokens, "
    "total_tokens, max_tokens, total_tokens_requested, response_time_ms, status, error_code, truncated_sections, "
    "prompt_hash, response_hash, budget_snapshot, cost, timestamp, request_data, response_data, attempt, "
    "fallback_of, created_at, request_id, trace_id, span_id";

LlmCall readCall(const Statement& s) {
  LlmCall c;
  c.id = s.i64(0);
  c.tenant_id = s.i64(1);
  c.conversation_id = s.optI64(2);
  c.execution_id = s.optI64(3);
  c.api_key_id = s.optI64(4);
  c.provider = s.text(5);
  c.model = s.text(6);
  c.prompt_tokens = s.i64(7);
  c.completion_tokens = s.i64(8);
  c.total_tokens = s.i64(9);
  c.max_tokens = s.optI64(10);
  c.total_tokens_requested = s.i64(11);
  c.response_time_ms = s.f64(12);
  c.status = parseCallStatus(s.text(13)).value_or(CallStatus::kFailed);
  c.error_code = s.text(14);
  c.truncated_sections = s.isNull(15) ? boost::json::value(boost::json::array()) : s.json(15);
  c.prompt_hash = s.text(16);
  c.response_hash = s.text(17);
  c.budget_snapshot = s.isNull(18) ? boost::json::value(boost::json::object()) : s.json(18);
  c.cost = s.f64(19);
  c.timestamp = s.i64(20);
  c.request_data = s.json(21);
  c.response_data = s.json(22);
  c.attempt = s.i32(23);
  c.fallback_of = s.optI64(24);
  c.created_at = s.i64(25);
  c.request_id = s.text(26);
  c.trace_id = s.text(27);
  c.span_id = s.text(28);
  return c;
}

// A LIKE pattern matching text containing q literally.
std::string containsPattern(std::string_view q) {
  std::string out = "%";
  for (char ch : q) {
    if (ch == '%' || ch == '_' || ch == '\\') out.push_back('\\');
    out.push_back(ch);
  }
  out.push_back('%');
  return out;
}

struct Filter {
  std::string from_where;
  SqlParams params;
};

// The FROM/WHERE clause of a query, after checking that the conversation and
// execution it names are the tenant's.
Result<Filter> buildFilter(Connection& conn, Id tenant_id, const LlmCallQuery& q) {
  if (auto st = requireOwnedIfSet(conn, "conversations", "conversation", tenant_id, q.conversation_id); !st.ok()) {
    return std::move(st).error();
  }
  if (auto st = requireOwnedIfSet(conn, "executions", "execution", tenant_id, q.execution_id); !st.ok()) {
    return std::move(st).error();
  }
  if (q.workflow_id) {
    if (auto st = requireWorkflowScope(conn, tenant_id, *q.workflow_id, q.execution_id); !st.ok()) {
      return std::move(st).error();
    }
  }
  Filter f{"FROM llm_calls WHERE tenant_id = ?", {tenant_id}};
  auto add = [&](std::string_view clause, SqlValue v) {
    f.from_where += " AND ";
    f.from_where += clause;
    f.params.push_back(std::move(v));
  };
  if (q.conversation_id) add("conversation_id = ?", *q.conversation_id);
  if (q.execution_id) add("execution_id = ?", *q.execution_id);
  if (q.api_key_id) add("api_key_id = ?", *q.api_key_id);
  if (q.workflow_id) {
    f.from_where +=
        " AND (execution_id IN (SELECT id FROM executions WHERE tenant_id = ? AND workflow_id = ?)"
        " OR conversation_id IN (SELECT id FROM conversations WHERE tenant_id = ? AND workflow_id = ?))";
    f.params.insert(f.params.end(), {tenant_id, *q.workflow_id, tenant_id, *q.workflow_id});
  }
  if (q.agent) {
    f.from_where += " AND conversation_id IN (SELECT id FROM conversations WHERE tenant_id = ? AND agent = ?)";
    f.params.insert(f.params.end(), {tenant_id, *q.agent});
  }
  if (q.model) add("model = ?", *q.model);
  if (q.date_from) add("timestamp >= ?", *q.date_from);
  if (q.date_to) add("timestamp <= ?", *q.date_to);
  if (q.q && !q.q->empty()) {
    const std::string pattern = containsPattern(*q.q);
    f.from_where += " AND (";
    for (std::size_t i = 0; i < kSearchColumns.size(); ++i) {
      if (i > 0) f.from_where += " OR ";
      f.from_where += kSearchColumns[i];
      f.from_where += " LIKE ? ESCAPE '\\'";
      f.params.push_back(pattern);
    }
    f.from_where += ")";
  }
  return f;
}

core::Status validateSortKey(const std::string& sort_by) {
  for (auto k : kSortKeys) {
    if (k == sort_by) return {};
  }
  return core::Error::invalidArgument(
      "sort_by must be one of timestamp, model, total_tokens, response_time_ms, cost, id",
      boost::json::object{{"sort_by", sort_by}, {"allowed", boost::json::array(kSortKeys.begin(), kSortKeys.end())}});
}

}  // namespace

std::span<const std::string_view> llmCallSortKeys() { return kSortKeys; }

Result<LlmCall> insertLlmCall(Connection& conn, Millis now, const LlmCall& c) {
  auto id = insertLlmCallRow(conn, now, c);
  if (!id.ok()) return std::move(id).error();
  return getLlmCall(conn, c.tenant_id, *id);
}

namespace {

// (which reference, tenant, id) of the references a batch found to be the
// tenant's.
using OwnedRefs = std::set<std::tuple<int, Id, Id>>;

Result<Id> insertCall(Connection& conn, Millis now, const LlmCall& c, OwnedRefs* owned) {
  if (c.model.empty()) return core::Error::invalidArgument("an LLM call needs a model");
  int ref = 0;
  for (auto [table, what, id] :
       {std::tuple{"conversations", "conversation", c.conversation_id},
        std::tuple{"executions", "execution", c.execution_id}, std::tuple{"api_keys", "API key", c.api_key_id},
        std::tuple{"llm_calls", "LLM call", c.fallback_of}}) {
    ++ref;
    if (!id) continue;
    const auto key = std::tuple{ref, c.tenant_id, *id};
    if (owned && owned->contains(key)) continue;
    if (auto st = requireOwned(conn, table, what, c.tenant_id, *id); !st.ok()) return std::move(st).error();
    if (owned) owned->insert(key);
  }
  auto ins = insertReturningId(
      conn,
      "INSERT INTO llm_calls (tenant_id, conversation_id, execution_id, api_key_id, provider, model, prompt_tokens, "
      "completion_tokens, total_tokens, max_tokens, total_tokens_requested, response_time_ms, status, error_code, "
      "truncated_sections, prompt_hash, response_hash, budget_snapshot, cost, timestamp, request_data, "
      "response_data, attempt, fallback_of, created_at, request_id, trace_id, span_id) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {c.tenant_id,
       sqlOpt(c.conversation_id),
       sqlOpt(c.execution_id),
       sqlOpt(c.api_key_id),
       c.provider,
       c.model,
       c.prompt_tokens,
       c.completion_tokens,
       c.total_tokens,
       sqlOpt(c.max_tokens),
       c.total_tokens_requested,
       c.response_time_ms,
       std::string(callStatusName(c.status)),
       c.error_code,
       sqlJson(c.truncated_sections),
       c.prompt_hash,
       c.response_hash,
       sqlJson(c.budget_snapshot),
       c.cost,
       c.timestamp > 0 ? c.timestamp : now,
       sqlJson(c.request_data),
       sqlJson(c.response_data),
       static_cast<std::int64_t>(c.attempt),
       sqlOpt(c.fallback_of),
       now,
       c.request_id,
       c.trace_id,
       c.span_id});
  if (!ins.ok()) return std::move(ins).error();
  return *ins;
}

}  // namespace

Result<Id> insertLlmCallRow(Connection& conn, Millis now, const LlmCall& c) {
  return insertCall(conn, now, c, nullptr);
}

Status insertLlmCallRows(Connection& conn, Millis now, const std::vector<LlmCall>& calls) {
  OwnedRefs owned;
  for (const LlmCall& c : calls) {
    if (auto id = insertCall(conn, now, c, &owned); !id.ok()) return std::move(id).error();
  }
  return {};
}

Result<LlmCall> getLlmCall(Connection& conn, Id tenant_id, Id id) {
  return fetchExisting<LlmCall>(conn,
                                "SELECT " + std::string(kCallColumns) +
                                    " FROM llm_calls WHERE tenant_id = ? AND id = ?",
                                {tenant_id, id}, readCall, "LLM call", id);
}

namespace {

template <typename T, typename Read>
Result<Page<T>> listCalls(Connection& conn, Id tenant_id, const LlmCallQuery& query, std::string_view columns,
                          Read read) {
  if (auto st = validateSortKey(query.sort_by); !st.ok()) return std::move(st).error();
  if (auto st = validatePage(query.page); !st.ok()) return std::move(st).error();
  auto filter = buildFilter(conn, tenant_id, query);
  if (!filter.ok()) return std::move(filter).error();
  const char* dir = query.descending ? " DESC" : " ASC";
  std::string order = query.sort_by + dir;
  if (query.sort_by != "id") order += std::string(", id") + dir;
  return fetchPage<T>(conn, columns, filter->from_where, filter->params, order, query.page, read);
}

}  // namespace

Result<Page<LlmCall>> listLlmCalls(Connection& conn, Id tenant_id, const LlmCallQuery& query) {
  return listCalls<LlmCall>(conn, tenant_id, query, kCallColumns, readCall);
}

Result<Page<AgentLlmCall>> listWorkflowLlmCalls(Connection& conn, Id tenant_id, Id workflow_id,
                                                const LlmCallQuery& query) {
  static const std::string columns = std::string(kCallColumns) +
                                     ", (SELECT agent FROM conversations c WHERE c.tenant_id = llm_calls.tenant_id"
                                     " AND c.id = llm_calls.conversation_id)";
  LlmCallQuery scoped = query;
  scoped.workflow_id = workflow_id;
  return listCalls<AgentLlmCall>(conn, tenant_id, scoped, columns, [](const Statement& s) {
    return AgentLlmCall{readCall(s), s.isNull(29) ? std::string() : s.text(29)};
  });
}

Result<LlmCallTotals> llmCallTotals(Connection& conn, Id tenant_id, const LlmCallQuery& query) {
  auto filter = buildFilter(conn, tenant_id, query);
  if (!filter.ok()) return std::move(filter).error();
  auto totals = fetchOne<LlmCallTotals>(
      conn,
      "SELECT count(*), coalesce(sum(total_tokens), 0), coalesce(sum(cost), 0), coalesce(avg(response_time_ms), 0) " +
          filter->from_where,
      filter->params, [](const Statement& s) {
        LlmCallTotals t;
        t.calls = s.i64(0);
        t.total_tokens = s.i64(1);
        t.total_cost = s.f64(2);
        t.avg_latency_ms = s.f64(3);
        return t;
      });
  if (!totals.ok()) return std::move(totals).error();
  auto models = fetchAll<std::string>(conn, "SELECT DISTINCT model " + filter->from_where + " ORDER BY model",
                                      filter->params, [](const Statement& s) { return s.text(0); });
  if (!models.ok()) return std::move(models).error();
  LlmCallTotals out = totals->value_or(LlmCallTotals{});
  out.models = std::move(models).value();
  return out;
}

}  // namespace codecrew::store::sql
