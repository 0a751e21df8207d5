#include "llm/cassette/cassette.h"

#include "llm/providers/json_util.h"
#include "llm/types_json.h"

#include <boost/json.hpp>

#include <fstream>
#include <sstream>

namespace codecrew::llm {

namespace bj = boost::json;
using core::Error;
using core::Result;

namespace {

bj::value errorJson(const Error& e) {
  return bj::object{{"code", core::errorCodeName(e.code)}, {"message", e.message}, {"details", e.details}};
}

Error errorFrom(const bj::object& o) {
  Error e{core::ErrorCode::kUnavailable, json::str(o, "message"), nullptr};
  std::string code = json::str(o, "code");
  for (int c = 0; c <= static_cast<int>(core::ErrorCode::kInternal); ++c) {
    if (core::errorCodeName(static_cast<core::ErrorCode>(c)) == code) e.code = static_cast<core::ErrorCode>(c);
  }
  if (const auto* d = o.if_contains("details")) e.details = *d;
  return e;
}

Result<CassetteEntry> entryFrom(const bj::object& o) {
  CassetteEntry e;
  e.agent = json::str(o, "agent");
  e.step = json::str(o, "step");
  e.index = static_cast<int>(json::i64(o, "index"));
  e.provider = json::str(o, "provider");
  e.model = json::str(o, "model");
  e.mode = json::str(o, "mode");
  if (e.mode.empty()) e.mode = "chat";
  e.prompt_hash = json::str(o, "prompt_hash");
  if (const auto* r = o.if_contains("request")) {
    auto request = chatRequestFromJson(*r);
    if (!request.ok()) return request.error();
    e.request = std::move(request.value());
  }
  if (const auto* r = o.if_contains("response"); r && !r->is_null()) {
    auto response = chatResponseFromJson(*r);
    if (!response.ok()) return response.error();
    e.response = std::move(response.value());
  }
  if (const auto* chunks = json::arr(o, "chunks")) {
    for (const auto& cv : *chunks) {
      const auto* c = cv.if_object();
      if (!c || !c->contains("delta")) return Error::invalidArgument("a chunk has no delta");
      auto delta = streamDeltaFromJson(c->at("delta"));
      if (!delta.ok()) return delta.error();
      const auto* t = c->if_contains("t_ms");
      e.chunks.push_back(TimedDelta{t && t->is_number() ? t->to_number<double>() : 0.0, std::move(delta.value())});
    }
  }
  if (const auto* err = json::obj(o, "error")) e.error = errorFrom(*err);
  if (const auto* l = o.if_contains("latency_ms"); l && l->is_number()) e.latency_ms = l->to_number<double>();
  if (e.prompt_hash.empty()) e.prompt_hash = promptHash(e.request);
  return e;
}

}  // namespace

std::string headerLine(const CassetteHeader& h) {
  return bj::serialize(bj::object{{"type", "header"},
                                  {"version", h.version},
                                  {"origin", h.origin},
                                  {"created_at", h.created_at},
                                  {"note", h.note}});
}

std::string entryLine(const CassetteEntry& e) {
  bj::array chunks;
  for (const auto& c : e.chunks) chunks.push_back(bj::object{{"t_ms", c.t_ms}, {"delta", toJson(c.delta)}});
  return bj::serialize(bj::object{{"type", "call"},
                                  {"agent", e.agent},
                                  {"step", e.step},
                                  {"index", e.index},
                                  {"provider", e.provider},
                                  {"model", e.model},
                                  {"mode", e.mode},
                                  {"prompt_hash", e.prompt_hash},
                                  {"request", toJson(e.request)},
                                  {"response", e.response ? bj::value(toJson(*e.response)) : bj::value(nullptr)},
                                  {"chunks", std::move(chunks)},
                                  {"error", e.error ? errorJson(*e.error) : bj::value(nullptr)},
                                  {"latency_ms", e.latency_ms}});
}

Result<Cassette> Cassette::parse(std::string_view text) {
  Cassette cassette;
  std::size_t line_no = 0;
  bool saw_header = false;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    boost::system::error_code ec;
    auto v = bj::parse(line, ec);
    auto where = "cassette line " + std::to_string(line_no);
    if (ec || !v.is_object()) return Error::invalidArgument(where + " is not a JSON object");
    const auto& o = v.as_object();
    std::string type = json::str(o, "type");
    if (!saw_header) {
      if (type != "header") return Error::invalidArgument(where + ": the first line must be the header");
      cassette.header.version = static_cast<int>(json::i64(o, "version"));
      cassette.header.origin = json::str(o, "origin");
      cassette.header.created_at = json::str(o, "created_at");
      cassette.header.note = json::str(o, "note");
      if (cassette.header.origin != "recorded" && cassette.header.origin != "handwritten")
        return Error::invalidArgument(where + R"(: origin must be "recorded" or "handwritten")");
      saw_header = true;
      continue;
    }
    if (type != "call")
      return Error::invalidArgument(std::string(where).append(": unknown line type '").append(type).append("'"));
    auto entry = entryFrom(o);
    if (!entry.ok()) return Error::invalidArgument(where + ": " + entry.error().message);
    cassette.entries.push_back(std::move(entry.value()));
  }
  if (!saw_header) return Error::invalidArgument("cassette is empty (no header line)");
  return cassette;
}

Result<Cassette> Cassette::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::notFound("cannot open cassette " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse(buffer.str());
}

}  // namespace codecrew::llm
