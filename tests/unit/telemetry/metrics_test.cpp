#include "telemetry/metrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

namespace codecrew::telemetry {
namespace {

TEST(MetricsTest, CountersAndGaugesRenderWithHelpTypeAndSortedLabels) {
  Registry registry;
  auto& requests = registry.counter("app_requests_total", "Requests served.", {"route", "status"});
  requests.with({"/b", "200"}).inc();
  requests.with({"/a", "500"}).inc(2);
  requests.with({"/b", "200"}).inc();
  registry.gauge("app_up", "Whether it is up.").with({}).set(1);
  EXPECT_EQ(registry.render(),
            "# HELP app_requests_total Requests served.\n"
            "# TYPE app_requests_total counter\n"
            "app_requests_total{route=\"/a\",status=\"500\"} 2\n"
            "app_requests_total{route=\"/b\",status=\"200\"} 2\n"
            "# HELP app_up Whether it is up.\n"
            "# TYPE app_up gauge\n"
            "app_up 1\n");
}

TEST(MetricsTest, HistogramsAreCumulativeWithInfSumAndCount) {
  Registry registry;
  auto& h = registry.histogram("op_seconds", "Op time.", {"op"}, {0.1, 1});
  auto& read = h.with({"read"});
  read.observe(0.05);
  read.observe(0.1);  // on a bound: counted in that bucket (le)
  read.observe(0.5);
  read.observe(7);
  EXPECT_EQ(registry.render(),
            "# HELP op_seconds Op time.\n"
            "# TYPE op_seconds histogram\n"
            "op_seconds_bucket{op=\"read\",le=\"0.1\"} 2\n"
            "op_seconds_bucket{op=\"read\",le=\"1\"} 3\n"
            "op_seconds_bucket{op=\"read\",le=\"+Inf\"} 4\n"
            "op_seconds_sum{op=\"read\"} 7.65\n"
            "op_seconds_count{op=\"read\"} 4\n");
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  Registry registry;
  registry.counter("x_total", "h", {"v"}).with({"a\"b\\c\nd"}).inc();
  EXPECT_NE(registry.render().find("x_total{v=\"a\\\"b\\\\c\\nd\"} 1\n"), std::string::npos);
}

TEST(MetricsTest, AFamilyPastItsSeriesLimitCountsNewLabelSetsAsOther) {
  Registry registry;
  auto& f = registry.counter("many_total", "h", {"id"});
  for (std::size_t i = 0; i < FamilyBase::max_series() + 50; ++i) f.with({std::to_string(i)}).inc();
  EXPECT_EQ(f.with({"other"}).value(), 50);
  const auto text = registry.render();
  std::size_t lines = std::count(text.begin(), text.end(), '\n');
  EXPECT_EQ(lines, FamilyBase::max_series() + 1 + 2);  // the overflow series, HELP, TYPE
  // A label set already present keeps its own series.
  f.with({"7"}).inc();
  EXPECT_EQ(f.with({"7"}).value(), 2);
}

TEST(MetricsTest, TheSameFamilyIsReturnedAndConflictsAreRefused) {
  Registry registry;
  auto& a = registry.counter("c_total", "h", {"x"});
  EXPECT_EQ(&a, &registry.counter("c_total", "h", {"x"}));
  EXPECT_THROW(registry.counter("c_total", "h", {"y"}), std::logic_error);
  EXPECT_THROW(registry.gauge("c_total", "h", {"x"}), std::logic_error);
  EXPECT_THROW(registry.counter("no_suffix", "h"), std::logic_error);
  EXPECT_THROW(a.with({"1", "2"}), std::logic_error);
}

TEST(MetricsTest, ScrapeCollectorsRunBeforeEachRender) {
  Registry registry;
  auto& g = registry.gauge("depth", "h", {"state"});
  int scrapes = 0;
  registry.onScrape([&] {
    ++scrapes;
    g.zeroAll();
    g.with({scrapes == 1 ? "queued" : "running"}).set(scrapes);
  });
  registry.render();
  const auto second = registry.render();
  EXPECT_NE(second.find("depth{state=\"queued\"} 0\n"), std::string::npos);
  EXPECT_NE(second.find("depth{state=\"running\"} 2\n"), std::string::npos);
}

TEST(MetricsTest, ConcurrentIncrementsAreAllCounted) {
  Registry registry;
  auto& f = registry.counter("n_total", "h", {"t"});
  auto& h = registry.histogram("d_seconds", "h", {}, requestSecondsBuckets());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        f.with({t % 2 ? "odd" : "even"}).inc();
        h.with({}).observe(0.003);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(f.with({"odd"}).value() + f.with({"even"}).value(), 40000);
  EXPECT_EQ(h.with({}).count(), 40000u);
  EXPECT_EQ(h.with({}).cumulativeCount(2), 40000u);  // 0.003 <= 0.005
}

TEST(MetricsTest, SamplesAreFormattedAsTheExpositionFormatReadsThem) {
  EXPECT_EQ(formatSample(3), "3");
  EXPECT_EQ(formatSample(0.25), "0.25");
  EXPECT_EQ(formatSample(1e20), "1e+20");
  EXPECT_EQ(formatSample(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(formatSample(std::nan("")), "NaN");
}

}  // namespace
}  // namespace codecrew::telemetry
