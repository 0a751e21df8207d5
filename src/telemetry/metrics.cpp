#include "telemetry/metrics.h"

#include "core/log.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace codecrew::telemetry {

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), buckets_(new std::atomic<std::uint64_t>[bounds.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double value) {
  std::size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t Histogram::cumulativeCount(std::size_t i) const {
  std::uint64_t total = 0;
  for (std::size_t b = 0; b <= i && b < bounds_.size(); ++b) total += buckets_[b].load(std::memory_order_relaxed);
  return total;
}

const std::vector<double>& requestSecondsBuckets() {
  static const std::vector<double> kBounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return kBounds;
}

const std::vector<double>& modelSecondsBuckets() {
  static const std::vector<double> kBounds{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300};
  return kBounds;
}

std::string formatSample(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", value);
    return buf;
  }
  // The shortest text that reads back as the same double.
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, ec == std::errc() ? end : buf);
}

std::string escapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

namespace {

std::string escapeHelp(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

}  // namespace

FamilyBase::FamilyBase(std::string name, std::string help, std::string type, std::vector<std::string> labels)
    : name_(std::move(name)), help_(std::move(help)), type_(std::move(type)), labels_(std::move(labels)) {}

void FamilyBase::checkArity(const std::vector<std::string>& values) const {
  if (values.size() != labels_.size())
    throw std::logic_error("metric " + name_ + " takes " + std::to_string(labels_.size()) + " label values, not " +
                           std::to_string(values.size()));
}

std::vector<std::string> FamilyBase::keyOf(std::vector<std::string> values, std::size_t size) const {
  if (size < max_series()) return values;
  std::vector<std::string> overflow(labels_.size(), "other");
  if (size == max_series())
    core::log::warn("a metric has too many label sets: further ones are counted under \"other\"",
                    {{"metric", name_}, {"max_series", max_series()}});
  return overflow;
}

void FamilyBase::seriesName(std::string& out, std::string_view suffix, const std::vector<std::string>& values,
                            std::string_view extra_label, std::string_view extra_value) const {
  out += name_;
  out += suffix;
  if (labels_.empty() && extra_label.empty()) return;
  out += '{';
  bool first = true;
  for (std::size_t i = 0; i < labels_.size(); ++i) {
    if (!first) out += ',';
    first = false;
    out += labels_[i];
    out += "=\"";
    out += escapeLabelValue(values[i]);
    out += '"';
  }
  if (!extra_label.empty()) {
    if (!first) out += ',';
    out += extra_label;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

template <>
std::unique_ptr<Counter> Family<Counter>::make() const {
  return std::make_unique<Counter>();
}
template <>
std::unique_ptr<Gauge> Family<Gauge>::make() const {
  return std::make_unique<Gauge>();
}
template <>
std::unique_ptr<Histogram> Family<Histogram>::make() const {
  return std::make_unique<Histogram>(bounds_);
}

void FamilyBase::sample(std::string& out, const std::vector<std::string>& values, double value) const {
  seriesName(out, "", values);
  out += ' ' + formatSample(value) + '\n';
}

template <>
void Family<Counter>::render(std::string& out) const {
  std::lock_guard lock(mu_);
  for (const auto& [values, series] : series_) sample(out, values, series->value());
}

template <>
void Family<Gauge>::render(std::string& out) const {
  std::lock_guard lock(mu_);
  for (const auto& [values, series] : series_) sample(out, values, series->value());
}

template <>
void Family<Histogram>::render(std::string& out) const {
  std::lock_guard lock(mu_);
  for (const auto& [values, h] : series_) {
    // One read of the count first: the buckets may move on meanwhile, so
    // the cumulative counts are capped at it and +Inf is exactly it.
    const std::uint64_t count = h->count();
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < h->bounds().size(); ++i) {
      cumulative = std::min(count, h->cumulativeCount(i));
      seriesName(out, "_bucket", values, "le", formatSample(h->bounds()[i]));
      out += ' ' + std::to_string(cumulative) + '\n';
    }
    seriesName(out, "_bucket", values, "le", "+Inf");
    out += ' ' + std::to_string(count) + '\n';
    seriesName(out, "_sum", values);
    out += ' ' + formatSample(h->sum()) + '\n';
    seriesName(out, "_count", values);
    out += ' ' + std::to_string(count) + '\n';
  }
}

template <class T>
Family<T>& Registry::family(const std::string& name, const std::string& help, const std::string& type,
                            std::vector<std::string> labels, const std::vector<double>* bounds) {
  std::lock_guard lock(mu_);
  for (auto& f : families_) {
    if (f->name() != name) continue;
    auto* same = dynamic_cast<Family<T>*>(f.get());
    if (!same || f->help() != help || f->labels() != labels || (bounds && same->bounds_ != *bounds))
      throw std::logic_error("metric " + name + " registered twice with different definitions");
    return *same;
  }
  if (type == "counter" && (name.size() < 6 || name.compare(name.size() - 6, 6, "_total") != 0))
    throw std::logic_error("counter " + name + " must end in _total");
  auto made = std::make_unique<Family<T>>(name, help, type, std::move(labels));
  if (bounds) {
    if (!std::is_sorted(bounds->begin(), bounds->end()) || bounds->empty())
      throw std::logic_error("histogram " + name + " needs increasing bucket bounds");
    made->bounds_ = *bounds;
  }
  auto& out = *made;
  families_.push_back(std::move(made));
  return out;
}

Family<Counter>& Registry::counter(const std::string& name, const std::string& help, std::vector<std::string> labels) {
  return family<Counter>(name, help, "counter", std::move(labels), nullptr);
}

Family<Gauge>& Registry::gauge(const std::string& name, const std::string& help, std::vector<std::string> labels) {
  return family<Gauge>(name, help, "gauge", std::move(labels), nullptr);
}

Family<Histogram>& Registry::histogram(const std::string& name, const std::string& help,
                                       std::vector<std::string> labels, const std::vector<double>& bounds) {
  return family<Histogram>(name, help, "histogram", std::move(labels), &bounds);
}

void Registry::onScrape(std::function<void()> collect) {
  std::lock_guard lock(mu_);
  collectors_.push_back(std::move(collect));
}

std::string Registry::render() const {
  std::lock_guard scrape(scrape_mu_);
  std::vector<std::function<void()>> collectors;
  std::vector<const FamilyBase*> families;
  {
    std::lock_guard lock(mu_);
    collectors = collectors_;
    for (const auto& f : families_) families.push_back(f.get());
  }
  for (const auto& collect : collectors) collect();
  std::string out;
  out.reserve(families.size() * 256);
  for (const auto* f : families) {
    out += "# HELP " + f->name() + ' ' + escapeHelp(f->help()) + '\n';
    out += "# TYPE " + f->name() + ' ' + f->type() + '\n';
    f->render(out);
  }
  return out;
}

}  // namespace codecrew::telemetry
