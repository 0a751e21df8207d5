#include "app/run_activity.h"

#include <gtest/gtest.h>

#include <sstream>

namespace codecrew::app {
namespace {

using namespace std::chrono_literals;
using Clock = RunActivity::Clock;

boost::json::object start(const char* agent, const char* step) {
  return {{"agent", agent}, {"step", step}, {"policy", "developer"}};
}

TEST(RunActivityTest, WithoutATerminalALineComesEveryIntervalWhileACallIsInFlight) {
  std::ostringstream out;
  std::mutex mu;
  RunActivity activity(out, mu, /*terminal=*/false, 15s);
  const auto t0 = Clock::time_point{};
  activity.tick(t0 + 20s);
  EXPECT_EQ(out.str(), "") << "no call in flight, nothing to say";
  activity.onProgress("llm_call.start", start("developer", "build:implement"), t0);
  activity.tick(t0 + 14s);
  EXPECT_EQ(out.str(), "");
  activity.tick(t0 + 15s);
  EXPECT_NE(out.str().find("developer"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("build:implement"), std::string::npos);
  EXPECT_NE(out.str().find("still waiting for the model (15 s)"), std::string::npos) << out.str();
  activity.tick(t0 + 20s);
  EXPECT_EQ(out.str().find("(20 s)"), std::string::npos) << "one line per interval";
  activity.tick(t0 + 31s);
  EXPECT_NE(out.str().find("still waiting for the model (31 s)"), std::string::npos) << out.str();
  activity.onProgress("llm_call", {{"agent", "developer"}}, t0 + 32s);
  const auto before = out.str();
  activity.tick(t0 + 60s);
  EXPECT_EQ(out.str(), before) << "the call ended";
  EXPECT_EQ(out.str().find('\r'), std::string::npos) << "no terminal control codes in a log";
}

TEST(RunActivityTest, OnATerminalASpinnerLineIsRedrawnInPlaceAndErasedWhenTheCallEnds) {
  std::ostringstream out;
  std::mutex mu;
  RunActivity activity(out, mu, /*terminal=*/true);
  const auto t0 = Clock::time_point{};
  activity.onProgress("llm_call.start", start("tester", "test:run"), t0);
  activity.tick(t0 + 1s);
  activity.tick(t0 + 2s);
  const std::string drawn = out.str();
  EXPECT_NE(drawn.find("\r\033[K   | tester"), std::string::npos) << drawn;
  EXPECT_NE(drawn.find("\r\033[K   / tester"), std::string::npos) << drawn;
  EXPECT_NE(drawn.find("waiting for the model (2 s)"), std::string::npos) << drawn;
  EXPECT_EQ(drawn.find('\n'), std::string::npos) << "a spinner never scrolls";
  activity.onProgress("tool_call", {{"agent", "tester"}}, t0 + 3s);
  EXPECT_TRUE(out.str().ends_with("\r\033[K")) << "the line is erased before the next progress line";
}

}  // namespace
}  // namespace codecrew::app
