// RecordingProvider: wraps any Provider and appends every call it passes
// through to a cassette (CassetteWriter), with the normalised request, the
// response or the stream's deltas with their timing, or the error.
// CassetteWriter: appends lines to a JSONL file, header first.
// Thread-safety: both are safe for concurrent calls; lines never interleave.
#pragma once

#include "core/clock.h"
#include "llm/cassette/cassette.h"
#include "llm/provider.h"

#include <fstream>
#include <memory>
#include <mutex>

namespace codecrew::llm {

class CassetteWriter {
 public:
  // Creates (truncates) path and writes the header line.
  static core::Result<std::shared_ptr<CassetteWriter>> create(const std::string& path, CassetteHeader header);
  core::Status append(const CassetteEntry& entry);

 private:
  std::mutex mu_;
  std::ofstream out_;  // guarded by mu_
};

class RecordingProvider final : public Provider {
 public:
  RecordingProvider(std::shared_ptr<Provider> inner, std::shared_ptr<CassetteWriter> writer,
                    std::shared_ptr<core::Clock> clock);

  const std::string& name() const override { return inner_->name(); }
  const std::string& kind() const override { return inner_->kind(); }
  boost::asio::awaitable<core::Result<ChatResponse>> chat(const ChatRequest& request,
                                                          const CallOptions& options) override;
  boost::asio::awaitable<core::Result<ChatResponse>> stream(const ChatRequest& request, const CallOptions& options,
                                                            DeltaSink on_delta) override;
  // Embeddings pass through unrecorded: cassettes hold chat calls.
  bool embeds() const override { return inner_->embeds(); }
  boost::asio::awaitable<core::Result<EmbeddingResponse>> embed(const EmbeddingRequest& request,
                                                                const CallOptions& options) override {
    return inner_->embed(request, options);
  }

 private:
  CassetteEntry begin(const ChatRequest& request, const CallOptions& options, const char* mode) const;
  void finish(CassetteEntry& entry, const core::Result<ChatResponse>& result,
              std::chrono::steady_clock::time_point started);

  std::shared_ptr<Provider> inner_;
  std::shared_ptr<CassetteWriter> writer_;
  std::shared_ptr<core::Clock> clock_;
};

}  // namespace codecrew::llm
