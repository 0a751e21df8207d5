#include "llm/cassette/replay_provider.h"

#include "llm/types_json.h"

#include <boost/json.hpp>

#include <vector>

namespace codecrew::llm {

namespace bj = boost::json;
using core::Error;
using core::Result;

namespace {

// A recorded answer as a model would stream it, for an entry with no
// recorded chunks (a hand-written cassette, or a call recorded whole): the
// text in word-sized pieces (each with the whitespace after it), each tool
// call whole, the usage, then the finish.
std::vector<StreamDelta> deltasOf(const ChatResponse& r) {
  static constexpr const char* kSpace = " \t\n";
  std::vector<StreamDelta> out;
  const std::string& text = r.message.content;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find_first_of(kSpace, start);
    if (end != std::string::npos) end = text.find_first_not_of(kSpace, end);
    if (end == std::string::npos) end = text.size();
    out.push_back(StreamDelta::textDelta(text.substr(start, end - start)));
    start = end;
  }
  for (std::size_t i = 0; i < r.message.tool_calls.size(); ++i) {
    const ToolCall& call = r.message.tool_calls[i];
    StreamDelta d;
    d.kind = StreamDelta::Kind::kToolCall;
    d.tool_index = static_cast<int>(i);
    d.tool_id = call.id;
    d.tool_name = call.name;
    d.arguments_fragment = call.arguments;
    out.push_back(std::move(d));
  }
  StreamDelta usage;
  usage.kind = StreamDelta::Kind::kUsage;
  usage.usage = r.usage;
  out.push_back(std::move(usage));
  StreamDelta finish;
  finish.kind = StreamDelta::Kind::kFinish;
  finish.finish_reason = r.finish_reason;
  finish.raw_finish_reason = r.raw_finish_reason;
  out.push_back(std::move(finish));
  return out;
}

std::string difference(const bj::value& a, const bj::value& b, const std::string& path) {
  if (a.kind() != b.kind()) return path.empty() ? "(root)" : path;
  if (a.is_object()) {
    const auto& ao = a.as_object();
    const auto& bo = b.as_object();
    for (const auto& [k, v] : ao) {
      std::string sub = path.empty() ? std::string(k) : path + "." + std::string(k);
      const auto* other = bo.if_contains(k);
      if (!other) return sub;
      if (auto d = difference(v, *other, sub); !d.empty()) return d;
    }
    for (const auto& [k, v] : bo) {
      if (!ao.contains(k)) return path.empty() ? std::string(k) : path + "." + std::string(k);
    }
    return "";
  }
  if (a.is_array()) {
    const auto& aa = a.as_array();
    const auto& ba = b.as_array();
    for (std::size_t i = 0; i < std::min(aa.size(), ba.size()); ++i) {
      if (auto d = difference(aa[i], ba[i], path + "[" + std::to_string(i) + "]"); !d.empty()) return d;
    }
    if (aa.size() != ba.size()) return path + "[" + std::to_string(std::min(aa.size(), ba.size())) + "]";
    return "";
  }
  return a == b ? "" : path;
}

}  // namespace

ReplayProvider::ReplayProvider(Cassette cassette, Options options)
    : cassette_(std::move(cassette)), options_(std::move(options)) {
  for (std::size_t i = 0; i < cassette_.entries.size(); ++i) {
    const auto& e = cassette_.entries[i];
    index_.emplace(std::make_tuple(e.agent, e.step, e.index), i);
  }
}

std::string ReplayProvider::firstDifference(const ChatRequest& recorded, const ChatRequest& actual) {
  auto a = toJson(recorded);
  auto b = toJson(actual);
  a.erase("model");
  b.erase("model");
  return difference(a, b, "");
}

Result<const CassetteEntry*> ReplayProvider::find(const ChatRequest& request, const CallOptions& options) const {
  std::string where = "agent '" + options.agent + "', step '" + options.step + "', call " +
                      std::to_string(options.call_index);
  auto it = index_.find(std::make_tuple(options.agent, options.step, options.call_index));
  if (it == index_.end())
    return Error{core::ErrorCode::kFailedPrecondition, "cassette has no recorded call for " + where, nullptr};
  const auto& entry = cassette_.entries[it->second];
  if (options_.strict_prompts) {
    auto hash = promptHash(request);
    if (hash != entry.prompt_hash) {
      auto field = firstDifference(entry.request, request);
      return Error{core::ErrorCode::kFailedPrecondition,
                   "cassette mismatch at " + where + ": prompt hash " + hash.substr(0, 12) + " != recorded " +
                       entry.prompt_hash.substr(0, 12) + "; first difference at " +
                       (field.empty() ? std::string("(hash only)") : field),
                   bj::object{{"field", field}, {"expected_hash", entry.prompt_hash}, {"actual_hash", hash}}};
    }
  }
  return &entry;
}

boost::asio::awaitable<Result<ChatResponse>> ReplayProvider::chat(const ChatRequest& request,
                                                                  const CallOptions& options) {
  auto entry = find(request, options);
  if (!entry.ok()) co_return entry.error();
  const auto* e = entry.value();
  if (e->error) co_return *e->error;
  if (!e->response) co_return Error{core::ErrorCode::kFailedPrecondition, "cassette call has no response", nullptr};
  co_return *e->response;
}

boost::asio::awaitable<Result<ChatResponse>> ReplayProvider::stream(const ChatRequest& request,
                                                                    const CallOptions& options, DeltaSink on_delta) {
  auto entry = find(request, options);
  if (!entry.ok()) co_return entry.error();
  const auto* e = entry.value();
  if (on_delta) {
    for (const auto& c : e->chunks) on_delta(c.delta);
    if (e->chunks.empty() && e->response && !e->error)
      for (const auto& d : deltasOf(*e->response)) on_delta(d);
  }
  if (e->error) co_return *e->error;
  if (!e->response) co_return Error{core::ErrorCode::kFailedPrecondition, "cassette call has no response", nullptr};
  co_return *e->response;
}

}  // namespace codecrew::llm
