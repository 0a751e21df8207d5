// Metrics: counters, gauges and histograms in labelled families, kept in a
// Registry that renders them in the Prometheus text exposition format
// (version 0.0.4), for GET /metrics.
//
// A family has a fixed list of label names; Family::with(values) gives the
// series of those label values (one value per name, in order), made on
// first use and valid for the registry's lifetime, so a hot path may keep
// the reference. Label sets are bounded: past max_series() distinct sets a
// family puts every new one in a single overflow series whose labels all
// read "other" (and logs that once), so no id or free text can grow a
// scrape without bound. Callers still pass only bounded values (a route's
// template, a provider's configured name, an enum's name), never ids.
//
// Registry::counter/gauge/histogram return the family of that name, made
// on first use; asking again for a name with another type, help or label
// list is a programmer error (std::logic_error). onScrape registers a
// function run at the start of each render() (gauges read from elsewhere:
// the database, a breaker, /proc), in registration order.
//
// render() writes the families in registration order and each family's
// series sorted by label values; label values are escaped (\\, \", \n);
// a counter's name must end in _total; histograms write cumulative _bucket
// series with le="+Inf", then _sum and _count.
// Thread-safety: every method is safe from any thread; increments are
// lock-free once a series exists.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::telemetry {

class Counter {
 public:
  void inc(double amount = 1) { value_.fetch_add(amount, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void set(double value) { value_.store(value, std::memory_order_relaxed); }
  void inc(double amount = 1) { value_.fetch_add(amount, std::memory_order_relaxed); }
  void dec(double amount = 1) { value_.fetch_sub(amount, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // `bounds`: the buckets' upper bounds, increasing (+Inf is implied).
  explicit Histogram(const std::vector<double>& bounds);
  void observe(double value);
  // The count of observations <= bounds()[i] (cumulative), for i < bounds().size().
  std::uint64_t cumulativeCount(std::size_t i) const;
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // per bucket, not cumulative
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

// Bucket bounds in seconds: for request handling, and for model calls.
const std::vector<double>& requestSecondsBuckets();
const std::vector<double>& modelSecondsBuckets();

class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, std::string type, std::vector<std::string> labels);
  virtual ~FamilyBase() = default;
  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::string& type() const { return type_; }
  const std::vector<std::string>& labels() const { return labels_; }
  virtual void render(std::string& out) const = 0;
  static constexpr std::size_t max_series() { return 1000; }

 protected:
  // Throws std::logic_error unless there is one value per label name.
  void checkArity(const std::vector<std::string>& values) const;
  // The key of a new label set, or the overflow key when the family is full.
  std::vector<std::string> keyOf(std::vector<std::string> values, std::size_t size) const;
  // One sample line: `name{labels} value`.
  void sample(std::string& out, const std::vector<std::string>& values, double value) const;
  // `name{labels[,extra]}` for a series.
  void seriesName(std::string& out, std::string_view suffix, const std::vector<std::string>& values,
                  std::string_view extra_label = {}, std::string_view extra_value = {}) const;

  std::string name_, help_, type_;
  std::vector<std::string> labels_;
};

template <class T>
class Family : public FamilyBase {
 public:
  using FamilyBase::FamilyBase;
  T& with(std::initializer_list<std::string_view> values) {
    return with(std::vector<std::string>(values.begin(), values.end()));
  }
  T& with(std::vector<std::string> values) {
    std::lock_guard lock(mu_);
    checkArity(values);
    auto it = series_.find(values);
    if (it != series_.end()) return *it->second;
    auto key = keyOf(std::move(values), series_.size());
    it = series_.find(key);
    if (it == series_.end()) it = series_.emplace(std::move(key), make()).first;
    return *it->second;
  }
  // Sets every existing series of a gauge family to zero (before a scrape
  // fills in the label sets it found, so vanished ones read 0).
  void zeroAll() {
    std::lock_guard lock(mu_);
    for (auto& [key, series] : series_) series->set(0);
  }
  void render(std::string& out) const override;

 protected:
  std::unique_ptr<T> make() const;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<T>> series_;
  std::vector<double> bounds_;  // histograms only
  friend class Registry;
};

// Defined in metrics.cpp for the three kinds of series.
template <>
std::unique_ptr<Counter> Family<Counter>::make() const;
template <>
std::unique_ptr<Gauge> Family<Gauge>::make() const;
template <>
std::unique_ptr<Histogram> Family<Histogram>::make() const;
template <>
void Family<Counter>::render(std::string& out) const;
template <>
void Family<Gauge>::render(std::string& out) const;
template <>
void Family<Histogram>::render(std::string& out) const;

class Registry {
 public:
  Family<Counter>& counter(const std::string& name, const std::string& help, std::vector<std::string> labels = {});
  Family<Gauge>& gauge(const std::string& name, const std::string& help, std::vector<std::string> labels = {});
  Family<Histogram>& histogram(const std::string& name, const std::string& help, std::vector<std::string> labels,
                               const std::vector<double>& bounds);
  void onScrape(std::function<void()> collect);
  std::string render() const;

 private:
  template <class T>
  Family<T>& family(const std::string& name, const std::string& help, const std::string& type,
                    std::vector<std::string> labels, const std::vector<double>* bounds);
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<FamilyBase>> families_;
  std::vector<std::function<void()>> collectors_;
  mutable std::mutex scrape_mu_;  // one render at a time: collectors set shared gauges
};

// Formats a sample value as the exposition format writes it.
std::string formatSample(double value);
// Escapes a label value (backslash, double quote, newline).
std::string escapeLabelValue(std::string_view value);

}  // namespace codecrew::telemetry
