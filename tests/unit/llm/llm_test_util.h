// Helpers for the llm layer's tests: run a coroutine to completion on a
// private io_context, read a file of tests/data/llm, and a scripted fake
// Provider for router tests.
#pragma once

#include "telemetry/tracer.h"

#include "llm/provider.h"
#include "llm/provider_error.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <deque>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>

namespace codecrew::llm::test {

// Runs `a` on `io` until it completes (Result has no default constructor, so
// use_future cannot carry it).
template <typename T>
T runOn(boost::asio::io_context& io, boost::asio::awaitable<T> a) {
  std::optional<T> out;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await std::move(a)); },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  io.restart();
  io.run();
  return std::move(*out);
}

template <typename T>
T run(boost::asio::awaitable<T> a) {
  boost::asio::io_context io;
  return runOn(io, std::move(a));
}

inline std::string readData(const std::string& name) {
  std::ifstream in(std::string(CODECREW_LLM_TEST_DATA) + "/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A Provider that answers from a script: each call pops the next outcome.
// Keeps the spans a Tracer hands over, for tests.
class SpanRecorder final : public telemetry::SpanSink {
 public:
  void submit(telemetry::SpanData span) override {
    std::lock_guard lock(mu_);
    spans_.push_back(std::move(span));
  }
  std::vector<telemetry::SpanData> spans() const {
    std::lock_guard lock(mu_);
    return spans_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<telemetry::SpanData> spans_;
};

class ScriptedProvider final : public Provider {
 public:
  using Outcome = std::function<core::Result<ChatResponse>(const ChatRequest&)>;

  explicit ScriptedProvider(std::string name) : name_(std::move(name)) {}
  const std::string& name() const override { return name_; }
  const std::string& kind() const override { return kind_; }

  void push(Outcome o) {
    std::lock_guard lock(mu_);
    script_.push_back(std::move(o));
  }
  void pushText(std::string text, std::int64_t prompt = 10, std::int64_t completion = 5) {
    push([=](const ChatRequest& r) {
      ChatResponse resp;
      resp.model = r.model;
      resp.message.content = text;
      resp.usage = Usage{prompt, completion, prompt + completion, 0, {}, true};
      resp.finish_reason = FinishReason::kStop;
      return core::Result<ChatResponse>(resp);
    });
  }
  void pushError(FailureKind kind, int status = 0, std::optional<std::chrono::milliseconds> retry_after = {}) {
    push([=, this](const ChatRequest&) {
      return core::Result<ChatResponse>(providerError(kind, name_ + " scripted failure", status, retry_after));
    });
  }
  int calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  std::vector<std::string> models() const {
    std::lock_guard lock(mu_);
    return models_;
  }

  boost::asio::awaitable<core::Result<ChatResponse>> chat(const ChatRequest& request,
                                                          const CallOptions& options) override {
    Outcome o;
    {
      std::lock_guard lock(mu_);
      ++calls_;
      models_.push_back(request.model);
      headers_seen.push_back(options.headers);
      if (!script_.empty()) {
        o = std::move(script_.front());
        script_.pop_front();
      }
    }
    if (options.on_exchange) {
      options.on_exchange(WireExchange{"POST",
                                       "https://fake.test/v1/chat/completions",
                                       {{"Authorization", "Bearer " + planted_key}},
                                       "{\"model\":\"" + request.model + "\"}",
                                       200,
                                       "{}"});
    }
    if (!o) co_return providerError(FailureKind::kServer, "script exhausted");
    co_return o(request);
  }
  boost::asio::awaitable<core::Result<ChatResponse>> stream(const ChatRequest& request, const CallOptions& options,
                                                            DeltaSink on_delta) override {
    auto r = co_await chat(request, options);
    if (r.ok() && on_delta) on_delta(StreamDelta::textDelta(r->message.content));
    co_return r;
  }

  std::string planted_key;
  std::vector<http::Headers> headers_seen;  // CallOptions::headers of each call

 private:
  std::string name_;
  std::string kind_ = "scripted";
  mutable std::mutex mu_;
  std::deque<Outcome> script_;
  int calls_ = 0;
  std::vector<std::string> models_;
};

}  // namespace codecrew::llm::test
