// WireRouter: a Router over real HttpProviders (BeastHttpClient on a private
// io_context) built from an LlmConfig, on a FakeClock with a FakeSleeper and
// an in-memory call recorder, for tests of the router over the wire against
// the fake upstream.
// Thread-safety: one test thread; chat() and stream() run the io_context.
#pragma once

#include "http/client/beast_http_client.h"
#include "llm/provider_registry.h"
#include "llm/record/call_recorder.h"
#include "llm/router/router.h"
#include "llm_test_util.h"

#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>

namespace codecrew::llm::test {

struct WireRouter {
  explicit WireRouter(const LlmConfig& config)
      : client(std::make_shared<http::BeastHttpClient>()),
        registry(ProviderRegistry::fromConfig(config, client, clock)),
        router(RouterDeps{registry, recorder, Redactor::create(config.secrets()).value(), clock, sleeper,
                          std::make_shared<RateScheduler>(clock, sleeper)}) {}

  core::Result<RoutedResponse> chat(const std::string& role, ChatRequest request, CallContext context = {}) {
    return runOn(io, router.chat(role, std::move(request), std::move(context)));
  }
  core::Result<RoutedResponse> stream(const std::string& role, ChatRequest request, DeltaSink sink,
                                      CallContext context = {}) {
    return runOn(io, router.stream(role, std::move(request), std::move(context), std::move(sink)));
  }

  boost::asio::io_context io;
  std::shared_ptr<core::FakeClock> clock = std::make_shared<core::FakeClock>();
  std::shared_ptr<FakeSleeper> sleeper = std::make_shared<FakeSleeper>(clock);
  std::shared_ptr<http::BeastHttpClient> client;
  std::shared_ptr<ProviderRegistry> registry;
  std::shared_ptr<MemoryCallRecorder> recorder = std::make_shared<MemoryCallRecorder>();
  Router router;
};

}  // namespace codecrew::llm::test
