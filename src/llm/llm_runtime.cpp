#include "llm/llm_runtime.h"

#include "core/time_format.h"
#include "llm/cassette/recording_provider.h"
#include "llm/cassette/replay_provider.h"
#include "llm/ollama_discovery.h"
#include "llm/record/store_call_recorder.h"
#include "llm/router/token_estimator.h"

namespace codecrew::llm {

using core::Result;

namespace {

core::Result<std::shared_ptr<ProviderRegistry>> buildRegistry(const LlmRuntime& rt, const LlmRuntimeOptions& options) {
  auto registry = std::make_shared<ProviderRegistry>();
  if (!options.replay_cassette.empty()) {
    auto cassette = Cassette::load(options.replay_cassette);
    if (!cassette.ok()) return cassette.error();
    registry->addProvider(std::make_shared<ReplayProvider>(std::move(cassette.value()),
                                                           ReplayProvider::Options{options.strict_replay}),
                          {"replay"});
    return registry;
  }
  std::shared_ptr<CassetteWriter> writer;
  if (!options.record_cassette.empty()) {
    auto created = CassetteWriter::create(options.record_cassette,
                                          CassetteHeader{1, "recorded",
                                                         core::formatIso8601(options.clock->nowMillis())});
    if (!created.ok()) return created.error();
    writer = created.value();
  }
  for (const auto& p : rt.config.providers) {
    std::shared_ptr<Provider> provider = makeHttpProvider(p, rt.client, options.clock);
    if (writer) provider = std::make_shared<RecordingProvider>(provider, writer, options.clock);
    registry->addProvider(std::move(provider), p.models, providerKeyId(p));
  }
  for (const auto& [name, m] : rt.config.models) registry->addModel(m);
  return registry;
}

}  // namespace

constexpr std::size_t kMaxIdleUpstreamConnections = 1024;

Result<LlmRuntime> buildLlmRuntime(const boost::json::object& document, LlmRuntimeOptions options) {
  LlmRuntime rt;
  auto config = loadLlmConfig(document, options.env);
  if (!config.ok()) return config.error();
  rt.config = std::move(config.value());
  auto policies = rolePoliciesFromConfig(document);
  if (!policies.ok()) return policies.error();
  auto redactor = Redactor::create(rt.config.secrets(), rt.config.redact_patterns);
  if (!redactor.ok()) return redactor.error();

  http::ClientOptions client_options;
  client_options.proxy = http::ProxyConfig::fromEnv(options.env);
  if (options.replay_cassette.empty() && options.discover_models) discoverOllamaModels(rt.config, client_options);
  rt.providers_found = describeProviders(rt.config);
  // As many idle connections per provider as calls run at once (the gateway
  // relays its clients' concurrency): with the client's default of 16, every
  // call beyond 16 at a time opened a connection and closed it after use.
  client_options.max_idle_per_host = kMaxIdleUpstreamConnections;
  rt.client = std::make_shared<http::BeastHttpClient>(client_options);
  auto registry = buildRegistry(rt, options);
  if (!registry.ok()) return registry.error();
  rt.registry = registry.value();
  if (options.store) {
    rt.recorder = std::make_shared<StoreCallRecorder>(options.store, options.blocking);
  } else {
    rt.recorder = std::make_shared<MemoryCallRecorder>();
  }
  auto sleeper = std::make_shared<AsioSleeper>();
  RouterDeps deps{rt.registry,     rt.recorder, redactor.value(),
                  options.clock,   sleeper,     std::make_shared<RateScheduler>(options.clock, sleeper),
                  rt.config.prices};
  if (options.metrics) deps.metrics = std::make_shared<RouterMetrics>(*options.metrics, "crew");
  deps.tracer = options.tracer;
  if (options.tiktoken_dir)
    deps.estimator = tokenizerEstimator(std::make_shared<tokenizer::TokenizerRegistry>(*options.tiktoken_dir));
  rt.router = std::make_shared<Router>(std::move(deps));
  rt.router->applyLimits(rt.config);
  for (auto& [role, policy] : policies.value()) rt.router->setPolicy(policy);
  return rt;
}

}  // namespace codecrew::llm
