// The crew-model runs remembered for retries: a repeat finds the run it
// repeats only under the same tenant and API key, by Idempotency-Key, or by
// body when an SDK says it retries; a run whose callers all went away, or
// one older than the window, is not found.
#include "api/crew_answers.h"

#include "core/clock.h"

#include <gtest/gtest.h>

namespace codecrew::api {
namespace {

class CrewAnswersTest : public ::testing::Test {
 protected:
  std::shared_ptr<core::FakeClock> clock_ = std::make_shared<core::FakeClock>();
  CrewAnswers answers_{clock_, std::chrono::seconds(600)};
};

TEST_F(CrewAnswersTest, ARepeatFindsOnlyTheSameCallersRun) {
  CrewAnswers::Keys first{7, std::string("once"), "hash-a", false};
  auto answer = std::make_shared<CrewAnswer>();
  answers_.remember(1, first, answer);
  EXPECT_EQ(answers_.find(1, first), answer) << "the same Idempotency-Key";
  EXPECT_EQ(answers_.find(1, {7, std::nullopt, "hash-a", true}), answer) << "an SDK's retry of the same body";
  EXPECT_EQ(answers_.find(1, {7, std::nullopt, "hash-a", false}), nullptr) << "a new request with the same body";
  EXPECT_EQ(answers_.find(1, {8, std::string("once"), "hash-a", true}), nullptr) << "another key of the tenant";
  EXPECT_EQ(answers_.find(2, first), nullptr) << "another tenant";
  EXPECT_EQ(answers_.find(1, {std::nullopt, std::string("once"), "hash-a", true}), nullptr) << "no key";
}

TEST_F(CrewAnswersTest, AbandonedAndOldRunsAreNotFound) {
  CrewAnswers::Keys keys{7, std::string("k"), "h", true};
  auto abandoned = std::make_shared<CrewAnswer>();
  answers_.remember(1, keys, abandoned);
  abandoned->join();
  EXPECT_TRUE(abandoned->leave()) << "the last caller left before the answer";
  EXPECT_EQ(answers_.find(1, keys), nullptr);

  auto old = std::make_shared<CrewAnswer>();
  answers_.remember(1, keys, old);
  clock_->advance(std::chrono::seconds(601));
  EXPECT_EQ(answers_.find(1, keys), nullptr);
}

}  // namespace
}  // namespace codecrew::api
