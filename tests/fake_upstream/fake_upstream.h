// FakeUpstream: a fake LLM server for tests and benchmarks. One server speaks
// the OpenAI (/v1/chat/completions, Azure's /openai/deployments/*/chat/
// completions), Anthropic (/v1/messages), Gemini (/v1beta/models/*:
// generateContent and :streamGenerateContent?alt=sse), Ollama (/api/chat)
// and Amazon Bedrock (/model/{id}/converse and /converse-stream, streams as
// event-stream frames; fake_bedrock.h) wire formats at their real paths,
// whole or streamed as the request asks. Every Bedrock request (and any
// request with an AWS4-HMAC-SHA256 Authorization) has its SigV4 signature
// verified against the configured FakeAwsAccount first, and is refused as
// the service would (403 InvalidSignatureException, UnrecognizedClient-
// Exception, ExpiredTokenException, ...) when it does not match; a Bedrock
// error reply carries x-amzn-ErrorType (FakeReply::error_type, else from its
// status).
// Answers come from a queue of scripted FakeReply values (then a default),
// with faults: latency, any status with Retry-After, a hang, a stream cut in
// the middle of a chunk, malformed JSON, an error event after a 200.
// The model list endpoints answer GET: /v1/models (OpenAI's and Anthropic's
// shape: gpt-4o-mini, fake-large), /v1beta/models (Gemini: gemini-2.0-flash
// and gemini-fake-pro, which generate, text-embedding-004, which does not),
// /api/tags (Ollama: kFakeOllamaModels).
// Anthropic's /v1/messages/count_tokens answers {"input_tokens": the body's
// size in bytes} (or the next reply's error status).
// Embeddings too: OpenAI /embeddings, Ollama /api/embed, Gemini
// :batchEmbedContents (fake_embeddings.h), with the same status faults.
// Scripting: the C++ API in-process, or HTTP control endpoints when it runs
// standalone: POST /_fake/replies (a reply object or an array of them),
// POST /_fake/default, GET /_fake/requests, POST /_fake/reset,
// POST /_fake/aws (a FakeAwsAccount as JSON: access_key_id,
// secret_access_key, session_token, token_expired, region, service,
// max_skew_seconds), and
// GET /_fake/stats ({"requests", "aborted_streams"}: streams whose reader
// went away before the end, "peak_concurrent": the most requests inside their
// latency at once).
// Thread-safety: every method may be called from any thread.
#pragma once

#include "core/result.h"
#include "fake_bedrock.h"
#include "fake_reply.h"

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace codecrew::testing {

// The models the fake's Ollama /api/tags lists, in its order.
inline constexpr const char* kFakeOllamaModels[] = {"fake-llama:latest", "fake-coder:7b"};

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  WireKind kind = WireKind::kOpenAi;
  bool stream = false;

  std::string header(std::string_view name) const;
};

struct FakeUpstreamOptions {
  std::string host = "127.0.0.1";
  int port = 0;        // 0: a free port
  int latency_ms = 0;  // default latency before each answer
  int threads = 1;
  FakeAwsAccount aws;  // the account whose signatures Bedrock requests must carry
};

class FakeUpstream {
 public:
  explicit FakeUpstream(FakeUpstreamOptions options = {});
  ~FakeUpstream();
  FakeUpstream(const FakeUpstream&) = delete;
  FakeUpstream& operator=(const FakeUpstream&) = delete;

  // Binds and starts serving. kUnavailable if the address cannot be bound.
  core::Status start();
  // Stops serving (hanging answers are abandoned). Idempotent.
  void stop();
  int port() const;
  // "http://127.0.0.1:<port>".
  std::string baseUrl() const;

  // Queues a reply for the next call (of any format); served in order.
  void enqueue(FakeReply reply);
  // The reply used when the queue is empty.
  void setDefault(FakeReply reply);
  // The AWS account requests are verified against from now on.
  void setAwsAccount(FakeAwsAccount account);
  // Requests refused for their signature so far.
  std::size_t rejectedSignatures() const;
  // Every chat request received so far (control requests excluded).
  std::vector<ReceivedRequest> requests() const;
  void reset();
  // The most requests that were inside their latency at the same time.
  std::size_t peakConcurrent() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace codecrew::testing
