#include "telemetry/tracer.h"

namespace codecrew::telemetry {
namespace {

std::int64_t unixNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    end();
    context_ = other.context_;
    data_ = std::move(other.data_);
    sink_ = std::move(other.sink_);
    started_ = other.started_;
  }
  return *this;
}

Span::~Span() { end(); }

void Span::set(std::string key, AttributeValue value) {
  if (!data_) return;
  for (auto& [k, v] : data_->attributes) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  data_->attributes.emplace_back(std::move(key), std::move(value));
}

void Span::setError(std::string message) {
  if (!data_) return;
  data_->error = true;
  data_->status_message = std::move(message);
}

void Span::setName(std::string name) {
  if (data_) data_->name = std::move(name);
}

void Span::end() {
  if (!data_) return;
  auto data = std::move(data_);
  // The end is the start's wall time plus the steady time elapsed, so a
  // clock step during the span does not make it negative.
  data->end_unix_nanos =
      data->start_unix_nanos +
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started_).count();
  if (auto sink = std::move(sink_)) sink->submit(std::move(*data));
}

Tracer::Tracer(std::shared_ptr<SpanSink> sink, Sampler sampler) : sink_(std::move(sink)), sampler_(sampler) {}

std::shared_ptr<Tracer> Tracer::off() {
  static const auto tracer = std::make_shared<Tracer>(nullptr);
  return tracer;
}

bool Tracer::sampleRoot(const TraceId& trace_id) const {
  switch (sampler_.root) {
    case Sampler::Root::kAlwaysOn: return true;
    case Sampler::Root::kAlwaysOff: return false;
    case Sampler::Root::kRatio: {
      // The trace id's last 8 bytes as a number, against the ratio's share of
      // 2^64 (the same trace id gives the same decision on every process).
      std::uint64_t low = 0;
      for (std::size_t i = 8; i < 16; ++i) low = (low << 8) | trace_id[i];
      if (sampler_.ratio >= 1.0) return true;
      if (sampler_.ratio <= 0.0) return false;
      return double(low) < sampler_.ratio * 18446744073709551616.0;
    }
  }
  return false;
}

Span Tracer::start(std::string name, SpanKind kind, const std::optional<TraceContext>& parent,
                   Attributes attributes) const {
  Span span;
  const bool has_parent = parent && parent->valid();
  if (!sink_) {
    if (has_parent) span.context_ = *parent;
    return span;
  }
  span.context_.trace_id = has_parent ? parent->trace_id : newTraceId();
  span.context_.span_id = newSpanId();
  span.context_.sampled = has_parent && sampler_.parent_based ? parent->sampled : sampleRoot(span.context_.trace_id);
  if (!span.context_.sampled) return span;
  span.data_ = std::make_unique<SpanData>();
  span.data_->name = std::move(name);
  span.data_->kind = kind;
  span.data_->context = span.context_;
  if (has_parent) span.data_->parent = parent->span_id;
  span.data_->attributes = std::move(attributes);
  span.data_->start_unix_nanos = unixNanos();
  span.started_ = std::chrono::steady_clock::now();
  span.sink_ = sink_;
  return span;
}

}  // namespace codecrew::telemetry
