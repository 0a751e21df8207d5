// Telemetry's per-event costs (bench/telemetry/CMakeLists.txt).
#include "telemetry/metrics.h"
#include "telemetry/otlp_json.h"
#include "telemetry/tracer.h"

#include <benchmark/benchmark.h>

namespace codecrew::telemetry {
namespace {

// A labelled counter found and incremented, as the HTTP server does per exchange.
void BM_CounterWithLabels(benchmark::State& state) {
  Registry registry;
  auto& family = registry.counter("requests_total", "h", {"route", "method", "status"});
  for (auto _ : state) family.with({"/workflows/{id:int}", "GET", "200"}).inc();
}
BENCHMARK(BM_CounterWithLabels);

void BM_HistogramObserve(benchmark::State& state) {
  Registry registry;
  auto& h = registry.histogram("seconds", "h", {}, requestSecondsBuckets()).with({});
  double v = 0;
  for (auto _ : state) h.observe(v += 0.0001);
}
BENCHMARK(BM_HistogramObserve);

class NullSink final : public SpanSink {
 public:
  void submit(SpanData span) override { benchmark::DoNotOptimize(span); }
};

// A model call's span with its GenAI attributes, recorded (tracing on) or not (off).
void BM_Span(benchmark::State& state) {
  Tracer on(std::make_shared<NullSink>());
  const Tracer& tracer = state.range(0) ? on : *Tracer::off();
  auto parent = parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  for (auto _ : state) {
    auto span = tracer.start("chat gpt-4o-mini", SpanKind::kClient, parent);
    span.set("gen_ai.system", "openai");
    span.set("gen_ai.request.model", "gpt-4o-mini");
    span.set("gen_ai.usage.input_tokens", std::int64_t(1200));
    span.set("gen_ai.usage.output_tokens", std::int64_t(300));
    span.end();
  }
}
BENCHMARK(BM_Span)->Arg(0)->Arg(1);

// A batch of 512 request spans encoded for OTLP/HTTP JSON; the rate is spans per second.
void BM_EncodeOtlpBatch(benchmark::State& state) {
  std::vector<SpanData> spans(512);
  for (auto& s : spans) {
    s.name = "POST /v1/chat/completions";
    s.kind = SpanKind::kServer;
    s.context.trace_id = newTraceId();
    s.context.span_id = newSpanId();
    s.start_unix_nanos = 1700000000000000000;
    s.end_unix_nanos = 1700000000001000000;
    s.attributes = {{"http.request.method", std::string("POST")},
                    {"http.route", std::string("/v1/chat/completions")},
                    {"http.response.status_code", std::int64_t(200)},
                    {"url.path", std::string("/v1/chat/completions")},
                    {"client.address", std::string("127.0.0.1")},
                    {"codecrew.request_id", std::string("0123456789abcdef")}};
  }
  const Attributes resource = {{"service.name", std::string("codecrew")}};
  for (auto _ : state) benchmark::DoNotOptimize(encodeOtlpTraces(spans, resource, "codecrew", "0.1.0"));
  state.SetItemsProcessed(state.iterations() * std::int64_t(spans.size()));
}
BENCHMARK(BM_EncodeOtlpBatch);

}  // namespace
}  // namespace codecrew::telemetry
