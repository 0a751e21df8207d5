// KeyLimiter with a FakeClock: rpm and tpm windows slide, budgets reset at
// the UTC day and month boundaries, and usage so far comes from the loader.
#include "gateway/key_limiter.h"
#include "gateway/gateway_failure.h"

#include <gtest/gtest.h>

namespace codecrew::gateway {
namespace {

constexpr core::Millis kJan31Noon = 1'769'860'800'000;  // 2026-01-31T12:00:00Z

TEST(KeyLimiter, RequestsPerMinuteSlide) {
  auto clock = std::make_shared<core::FakeClock>(kJan31Noon);
  KeyLimiter limiter(clock, {});
  Caller caller{1, 7, "cc_abc"};
  KeyLimits limits;
  limits.rpm = 2;
  EXPECT_TRUE(limiter.admit(caller, limits).ok());
  EXPECT_TRUE(limiter.admit(caller, limits).ok());
  auto refused = limiter.admit(caller, limits);
  ASSERT_FALSE(refused.ok());
  auto failure = failureFromError(refused.error());
  EXPECT_EQ(failure.status, 429);
  EXPECT_EQ(failure.code, "rate_limit_exceeded");
  EXPECT_EQ(failure.retry_after_seconds, 60);
  clock->advance(std::chrono::seconds(61));
  EXPECT_TRUE(limiter.admit(caller, limits).ok());
  EXPECT_TRUE(limiter.admit(Caller{1, 8, "cc_def"}, limits).ok());
}

TEST(KeyLimiter, TokensPerMinuteCountSettledUsage) {
  auto clock = std::make_shared<core::FakeClock>(kJan31Noon);
  KeyLimiter limiter(clock, {});
  Caller caller{1, 7, ""};
  KeyLimits limits;
  limits.tpm = 100;
  ASSERT_TRUE(limiter.admit(caller, limits).ok());
  limiter.settle(caller, 100, 0.01);
  EXPECT_FALSE(limiter.admit(caller, limits).ok());
  clock->advance(std::chrono::seconds(60));
  EXPECT_TRUE(limiter.admit(caller, limits).ok());
}

TEST(KeyLimiter, BudgetsStartFromTheLoaderAndResetAtPeriodBoundaries) {
  auto clock = std::make_shared<core::FakeClock>(kJan31Noon);
  std::vector<core::Millis> asked;
  KeyLimiter limiter(clock, [&](const Caller&, core::Millis since) -> core::Result<KeyUsage> {
    asked.push_back(since);
    return KeyUsage{since == utcDayStart(kJan31Noon) ? 500 : 900, 1.0};
  });
  Caller caller{1, 7, ""};
  KeyLimits limits;
  limits.daily_tokens = 500;
  auto refused = limiter.admit(caller, limits);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(failureFromError(refused.error()).code, "budget_exceeded");
  EXPECT_EQ(failureFromError(refused.error()).retry_after_seconds, 12 * 3600);
  ASSERT_EQ(asked.size(), 2u);
  EXPECT_EQ(asked[1], utcMonthStart(kJan31Noon));

  clock->advance(std::chrono::hours(13));  // 2026-02-01T01:00Z: a new day and a new month
  EXPECT_TRUE(limiter.admit(caller, limits).ok());

  KeyLimits monthly;
  monthly.monthly_cost = 0.5;
  limiter.settle(caller, 10, 0.5);
  auto over = limiter.admit(caller, monthly);
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.error().message.find("monthly cost budget"), std::string::npos);
}

TEST(KeyLimiter, MonthStartsAreUtcCalendarMonths) {
  EXPECT_EQ(utcMonthStart(kJan31Noon), 1'767'225'600'000);      // 2026-01-01
  EXPECT_EQ(utcNextMonthStart(kJan31Noon), 1'769'904'000'000);  // 2026-02-01
  EXPECT_EQ(utcDayStart(kJan31Noon), 1'769'817'600'000);
}

}  // namespace
}  // namespace codecrew::gateway
