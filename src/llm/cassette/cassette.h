// Cassette: a recording of LLM calls as JSONL, so executions replay with no
// model and no network. Line 1 is the header:
//   {"type":"header","version":1,"origin":"recorded"|"handwritten","created_at":"...","note":"..."}
// then one line per call:
//   {"type":"call","agent":..,"step":..,"index":0,"provider":..,"model":..,"mode":"chat"|"stream",
//    "prompt_hash":..,"request":{normalised},"response":{normalised}|null,
//    "chunks":[{"t_ms":12,"delta":{...}}],"error":{"code","message","details"}|null,"latency_ms":..}
// Calls are keyed by (agent, step, index): the index counts calls within
// one agent step, from 0.
// Thread-safety: plain values; parse/serialise are pure.
#pragma once

#include "core/error.h"
#include "core/result.h"
#include "llm/types.h"

#include <optional>
#include <string>
#include <vector>

namespace codecrew::llm {

struct CassetteHeader {
  int version = 1;
  std::string origin = "recorded";  // "recorded" from a model, or "handwritten"
  std::string created_at;           // ISO-8601
  std::string note;
};

struct TimedDelta {
  double t_ms = 0;  // since the call started
  StreamDelta delta;
};

struct CassetteEntry {
  std::string agent;
  std::string step;
  int index = 0;
  std::string provider;
  std::string model;
  std::string mode = "chat";  // chat | stream
  std::string prompt_hash;
  ChatRequest request;
  std::optional<ChatResponse> response;
  std::vector<TimedDelta> chunks;
  std::optional<core::Error> error;
  double latency_ms = 0;
};

struct Cassette {
  CassetteHeader header;
  std::vector<CassetteEntry> entries;

  // kInvalidArgument naming the line at fault.
  static core::Result<Cassette> parse(std::string_view text);
  static core::Result<Cassette> load(const std::string& path);
};

std::string headerLine(const CassetteHeader& header);
std::string entryLine(const CassetteEntry& entry);

}  // namespace codecrew::llm
