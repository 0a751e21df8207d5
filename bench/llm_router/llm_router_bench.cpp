// The router's overhead: the same chat call to the fake upstream (zero
// latency, loopback, keep-alive) made directly through HttpProvider and
// through the Router (policy lookup, rate scheduler, breaker, prompt hashing,
// redaction and an in-memory call record). The difference of the two
// per-call times is the router's added time.
#include "fake_upstream.h"
#include "http/client/beast_http_client.h"
#include "llm/provider_registry.h"
#include "llm/providers/http_provider.h"
#include "llm/record/call_recorder.h"
#include "llm/router/router.h"

#include <benchmark/benchmark.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <optional>

namespace {

using namespace codecrew;

struct Fixture {
  testing::FakeUpstream upstream;
  boost::asio::io_context io;
  std::shared_ptr<http::BeastHttpClient> client;
  std::shared_ptr<llm::ProviderRegistry> registry;
  std::unique_ptr<llm::Router> router;
  llm::ChatRequest request;

  Fixture() {
    if (!upstream.start().ok()) std::abort();
    client = std::make_shared<http::BeastHttpClient>();
    llm::LlmConfig config;
    config.providers.push_back(
        llm::ProviderConfig{"openai", "openai", upstream.baseUrl() + "/v1", "sk-bench-0123456789"});
    registry = llm::ProviderRegistry::fromConfig(config, client, core::SystemClock::instance());
    auto clock = core::SystemClock::instance();
    auto sleeper = std::make_shared<llm::AsioSleeper>();
    auto redactor = llm::Redactor::create(config.secrets()).value();
    llm::RouterDeps deps{registry, std::make_shared<llm::MemoryCallRecorder>(),         redactor, clock,
                         sleeper,  std::make_shared<llm::RateScheduler>(clock, sleeper)};
    router = std::make_unique<llm::Router>(deps);
    router->setPolicy(llm::RolePolicy{"coder", "gpt-4o-mini", {}});
    request.model = "gpt-4o-mini";
    request.messages = {llm::Message::system("You are a coder."), llm::Message::user("Write hello world in C.")};
  }

  // Runs one call to completion on the benchmark's io_context.
  template <typename T>
  T run(boost::asio::awaitable<T> a) {
    std::optional<T> out;
    boost::asio::co_spawn(
        io, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await std::move(a)); }, boost::asio::detached);
    io.restart();
    io.run();
    return std::move(*out);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_DirectProvider(benchmark::State& state) {
  auto& f = fixture();
  auto provider = f.registry->provider("openai");
  for (auto _ : state) {
    auto r = f.run(provider->chat(f.request, {}));
    if (!r.ok()) state.SkipWithError(r.error().message.c_str());
  }
}
BENCHMARK(BM_DirectProvider)->Unit(benchmark::kMicrosecond);

void BM_Router(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) {
    auto r = f.run(f.router->chat("coder", f.request, {}));
    if (!r.ok()) state.SkipWithError(r.error().message.c_str());
  }
}
BENCHMARK(BM_Router)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
