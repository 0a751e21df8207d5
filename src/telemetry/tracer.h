// Tracer and Span: where codecrew's code marks the work it does (a request,
// an execution's run, a stage, an agent's step, a model call, a tool call).
//
// Tracer::start makes a span that is a child of `parent` (a remote context
// from a request's traceparent, a stored one, or another span's context) or
// the root of a new trace. Sampling (Sampler) decides at the root; a child
// follows its parent's sampled flag when the sampler is parent-based.
//  - A recording span (tracing on, sampled) is handed to the sink at end().
//  - A span that is not recorded still has a context to propagate: with
//    tracing on but not sampled, a new span id under the parent's trace with
//    the sampled flag clear; with tracing off (no sink), the parent's own
//    context unchanged (a request's traceparent is passed through to the
//    model providers as it came), or none (invalid) without a parent.
// Span is move-only; end() is idempotent and the destructor ends a span not
// yet ended. Attribute and status setters on a span that is not recording
// do nothing.
// Thread-safety: Tracer is safe from any thread. A Span belongs to one
// thread or coroutine at a time.
#pragma once

#include "telemetry/span_data.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace codecrew::telemetry {

struct Sampler {
  enum class Root { kAlwaysOn, kAlwaysOff, kRatio };
  Root root = Root::kAlwaysOn;
  double ratio = 1.0;        // with kRatio: the share of trace ids sampled
  bool parent_based = true;  // children follow their parent's flag
};

class Span {
 public:
  Span() = default;
  Span(Span&&) noexcept = default;
  Span& operator=(Span&& other) noexcept;
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;
  ~Span();

  // This span's context (see the contract above); may be invalid.
  const TraceContext& context() const { return context_; }
  bool recording() const { return data_ != nullptr; }

  void set(std::string key, AttributeValue value);
  void set(std::string key, const char* value) { set(std::move(key), AttributeValue(std::string(value))); }
  void set(std::string key, int value) { set(std::move(key), AttributeValue(std::int64_t(value))); }
  void setError(std::string message);
  void setName(std::string name);
  void end();

 private:
  friend class Tracer;
  TraceContext context_;
  std::unique_ptr<SpanData> data_;
  std::shared_ptr<SpanSink> sink_;
  std::chrono::steady_clock::time_point started_{};
};

class Tracer {
 public:
  // A null sink: tracing off (spans only propagate contexts).
  Tracer(std::shared_ptr<SpanSink> sink, Sampler sampler = {});
  // A process-wide tracer that records nothing.
  static std::shared_ptr<Tracer> off();

  bool enabled() const { return sink_ != nullptr; }
  Span start(std::string name, SpanKind kind, const std::optional<TraceContext>& parent = std::nullopt,
             Attributes attributes = {}) const;

 private:
  bool sampleRoot(const TraceId& trace_id) const;
  std::shared_ptr<SpanSink> sink_;
  Sampler sampler_;
};

}  // namespace codecrew::telemetry
