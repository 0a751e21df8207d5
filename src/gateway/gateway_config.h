// GatewayConfig: the [gateway] section of the configuration document: the
// limits every codecrew key gets by default, per-key overrides by key prefix
// (the first 11 characters of the key, as `codecrew keys list` shows them),
// the router role the gateway's calls use, and the call writer's batching.
//
//   [gateway]                    rpm = 600, tpm = 200000,
//                                daily_tokens = 2000000, monthly_tokens = 0,
//                                daily_cost = 25.0, monthly_cost = 300.0,
//                                role = "gateway", batch_size = 256,
//                                queue_capacity = 10000, flush_interval_ms = 50,
//                                responses_kept = 1000, responses_memory_mb = 64,
//                                discover_models = true
//   [gateway.keys."cc_1a2b3c4d"] rpm = 60, daily_cost = 5.0
//
// 0 means no limit. An override sets only the fields it names.
// responses_kept and responses_memory_mb bound the Responses API's
// conversations and output items kept for previous_response_id and
// item_reference (response_memory.h: a response and each of its items are
// one entry each); 0 responses_kept keeps none. discover_models: GET /v1/models also lists
// what the providers' own list endpoints name (upstream_models.h).
// Thread-safety: a plain value.
#pragma once

#include "core/result.h"
#include "gateway/call_writer.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <string>

namespace codecrew::gateway {

struct KeyLimits {
  std::int64_t rpm = 0;             // requests per minute
  std::int64_t tpm = 0;             // tokens per minute (settled usage)
  std::int64_t daily_tokens = 0;    // per UTC day
  std::int64_t monthly_tokens = 0;  // per UTC calendar month
  double daily_cost = 0;            // US dollars
  double monthly_cost = 0;
};

struct GatewayConfig {
  KeyLimits defaults;
  std::map<std::string, KeyLimits> keys;  // by key prefix
  std::string role = "gateway";           // the router policy gateway calls use
  CallWriterOptions writer;
  std::size_t responses_kept = 1000;                 // responses and output items kept
  std::size_t responses_memory_bytes = 64ULL << 20;  // their text in all
  bool discover_models = true;                       // /v1/models asks the providers

  // The limits of the key with that prefix ("" in dev mode: the defaults).
  const KeyLimits& limitsFor(const std::string& key_prefix) const;
};

// kInvalidArgument naming the key at fault (e.g. "gateway.keys.cc_x.rpm").
core::Result<GatewayConfig> gatewayConfigFromDocument(const boost::json::object& document);

}  // namespace codecrew::gateway
