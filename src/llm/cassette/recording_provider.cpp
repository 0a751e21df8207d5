#include "llm/cassette/recording_provider.h"

#include "core/log.h"
#include "llm/types_json.h"

namespace codecrew::llm {

using core::Result;

Result<std::shared_ptr<CassetteWriter>> CassetteWriter::create(const std::string& path, CassetteHeader header) {
  auto writer = std::make_shared<CassetteWriter>();
  writer->out_.open(path, std::ios::binary | std::ios::trunc);
  if (!writer->out_) return core::Error::unavailable("cannot create cassette " + path);
  writer->out_ << headerLine(header) << '\n';
  writer->out_.flush();
  return writer;
}

core::Status CassetteWriter::append(const CassetteEntry& entry) {
  auto line = entryLine(entry);
  std::lock_guard lock(mu_);
  out_ << line << '\n';
  out_.flush();
  if (!out_) return core::Error::unavailable("cannot write to the cassette");
  return core::okStatus();
}

RecordingProvider::RecordingProvider(std::shared_ptr<Provider> inner, std::shared_ptr<CassetteWriter> writer,
                                     std::shared_ptr<core::Clock> clock)
    : inner_(std::move(inner)), writer_(std::move(writer)), clock_(std::move(clock)) {}

CassetteEntry RecordingProvider::begin(const ChatRequest& request, const CallOptions& options, const char* mode) const {
  CassetteEntry entry;
  entry.agent = options.agent;
  entry.step = options.step;
  entry.index = options.call_index;
  entry.provider = inner_->name();
  entry.model = request.model;
  entry.mode = mode;
  entry.prompt_hash = promptHash(request);
  entry.request = request;
  return entry;
}

void RecordingProvider::finish(CassetteEntry& entry, const Result<ChatResponse>& result,
                               std::chrono::steady_clock::time_point started) {
  entry.latency_ms = std::chrono::duration<double, std::milli>(clock_->steadyNow() - started).count();
  if (result.ok()) {
    entry.response = result.value();
  } else {
    entry.error = result.error();
  }
  auto written = writer_->append(entry);
  if (!written.ok()) core::log::warn("cassette write failed", {{"error", written.error().message}});
}

boost::asio::awaitable<Result<ChatResponse>> RecordingProvider::chat(const ChatRequest& request,
                                                                     const CallOptions& options) {
  auto entry = begin(request, options, "chat");
  auto started = clock_->steadyNow();
  auto result = co_await inner_->chat(request, options);
  finish(entry, result, started);
  co_return result;
}

boost::asio::awaitable<Result<ChatResponse>> RecordingProvider::stream(const ChatRequest& request,
                                                                       const CallOptions& options, DeltaSink on_delta) {
  auto entry = begin(request, options, "stream");
  auto started = clock_->steadyNow();
  DeltaSink tap = [&](const StreamDelta& d) {
    entry.chunks.push_back(
        TimedDelta{std::chrono::duration<double, std::milli>(clock_->steadyNow() - started).count(), d});
    if (on_delta) on_delta(d);
  };
  auto result = co_await inner_->stream(request, options, tap);
  finish(entry, result, started);
  co_return result;
}

}  // namespace codecrew::llm
