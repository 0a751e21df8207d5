// The shared scheduler holds RPM and TPM limits across 100 concurrent callers
// (coroutines on one io_context, time on a FakeClock moved by FakeSleeper):
// no 60-second window ever admits more than the limit, every caller gets
// through, and settle() corrects estimates from actual usage.
#include "llm/router/rate_scheduler.h"
#include "llm_test_util.h"

#include <gtest/gtest.h>
#include <boost/asio/detached.hpp>

#include <algorithm>

namespace codecrew::llm {
namespace {

namespace asio = boost::asio;

struct Admission {
  core::Millis at;
  std::int64_t tokens;
};

// Largest sum of `tokens` (or count, when count_only) in any window of 60 s.
std::int64_t maxInWindow(std::vector<Admission> admissions, bool count_only) {
  std::sort(admissions.begin(), admissions.end(), [](auto& a, auto& b) { return a.at < b.at; });
  std::int64_t best = 0;
  for (std::size_t i = 0; i < admissions.size(); ++i) {
    std::int64_t sum = 0;
    for (std::size_t j = i; j < admissions.size() && admissions[j].at < admissions[i].at + 60'000; ++j)
      sum += count_only ? 1 : admissions[j].tokens;
    best = std::max(best, sum);
  }
  return best;
}

class RateSchedulerTest : public ::testing::Test {
 protected:
  std::shared_ptr<core::FakeClock> clock_ = std::make_shared<core::FakeClock>();
  std::shared_ptr<FakeSleeper> sleeper_ = std::make_shared<FakeSleeper>(clock_);
  RateScheduler scheduler_{clock_, sleeper_};

  std::vector<Admission> runCallers(int callers, std::vector<std::string> keys, std::int64_t tokens) {
    asio::io_context io;
    std::vector<Admission> admitted;
    int failures = 0;
    for (int i = 0; i < callers; ++i) {
      asio::co_spawn(
          io,
          [&, keys]() -> asio::awaitable<void> {
            auto r = co_await scheduler_.acquire(keys, tokens);
            if (!r.ok()) {
              ++failures;
              co_return;
            }
            admitted.push_back({clock_->nowMillis(), tokens});
          },
          asio::detached);
    }
    io.run();
    EXPECT_EQ(failures, 0);
    return admitted;
  }
};

TEST_F(RateSchedulerTest, RequestsPerMinuteHoldWithHundredCallers) {
  scheduler_.setLimit("provider:p", RateLimit{10, 0});
  auto admitted = runCallers(100, {"provider:p", "model:p/m"}, 50);
  ASSERT_EQ(admitted.size(), 100u);
  EXPECT_LE(maxInWindow(admitted, true), 10);
  // 100 calls at 10 per minute need at least 9 further minutes.
  EXPECT_GE(clock_->nowMillis() - 1'700'000'000'000, 9 * 60'000);
}

TEST_F(RateSchedulerTest, TokensPerMinuteHoldWithHundredCallers) {
  scheduler_.setLimit("model:p/m", RateLimit{0, 1000});
  auto admitted = runCallers(100, {"provider:p", "model:p/m"}, 120);
  ASSERT_EQ(admitted.size(), 100u);
  EXPECT_LE(maxInWindow(admitted, false), 1000);
}

TEST_F(RateSchedulerTest, TheTightestOfSeveralKeysWins) {
  scheduler_.setLimit("provider:p", RateLimit{50, 0});
  scheduler_.setLimit("key:k", RateLimit{5, 0});
  auto admitted = runCallers(20, {"provider:p", "key:k"}, 1);
  EXPECT_LE(maxInWindow(admitted, true), 5);
  EXPECT_EQ(scheduler_.usage("key:k").first, 5);
}

TEST_F(RateSchedulerTest, ACallLargerThanTheLimitIsRefusedAtOnce) {
  scheduler_.setLimit("model:p/m", RateLimit{0, 100});
  auto r = test::run(scheduler_.acquire({"model:p/m"}, 101));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kResourceExhausted);
  EXPECT_TRUE(sleeper_->sleeps().empty());
}

TEST_F(RateSchedulerTest, SettleCorrectsTheEstimate) {
  scheduler_.setLimit("model:p/m", RateLimit{0, 1000});
  auto r = test::run(scheduler_.acquire({"model:p/m"}, 900));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(scheduler_.usage("model:p/m").second, 900);
  scheduler_.settle(r.value(), 150);
  EXPECT_EQ(scheduler_.usage("model:p/m").second, 150);
  auto next = test::run(scheduler_.acquire({"model:p/m"}, 800));
  ASSERT_TRUE(next.ok());
  EXPECT_TRUE(sleeper_->sleeps().empty());  // fits without waiting thanks to the correction
}

TEST_F(RateSchedulerTest, WindowSlides) {
  scheduler_.setLimit("provider:p", RateLimit{2, 0});
  ASSERT_TRUE(test::run(scheduler_.acquire({"provider:p"}, 1)).ok());
  clock_->advance(std::chrono::milliseconds(30'000));
  ASSERT_TRUE(test::run(scheduler_.acquire({"provider:p"}, 1)).ok());
  auto before = clock_->nowMillis();
  ASSERT_TRUE(test::run(scheduler_.acquire({"provider:p"}, 1)).ok());
  EXPECT_EQ(clock_->nowMillis() - before, 30'000);  // waited for the first to leave the window
}

}  // namespace
}  // namespace codecrew::llm
