// Event signals: the mark's payload format, and CoalescingEventSignal
// sending at most one mark per workflow (the highest seq) per send, the
// first at once, the rest after the interval, failed ones again.
#include "events/event_signal.h"
#include "events/coalescing_event_signal.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <vector>

namespace codecrew::events::test {
namespace {

TEST(EventMarkTest, FormatsAndParsesTenantWorkflowAndSeq) {
  const EventMark mark{7, 1234567890123, 42};
  EXPECT_EQ(formatEventMark(mark), "7:1234567890123:42");
  EXPECT_EQ(parseEventMark("7:1234567890123:42"), mark);
}

TEST(EventMarkTest, RefusesWhatIsNotAMark) {
  for (const char* bad :
       {"", "1:2", "1:2:3:4", "a:2:3", "1:-2:3", "1::3", "1:2:3 ", "+1:2:3", "1:2:99999999999999999999"})
    EXPECT_FALSE(parseEventMark(bad).has_value()) << bad;
}

// A sender that records what it is given and can be held inside a send.
class RecordingSender {
 public:
  CoalescingEventSignal::Sender sender() {
    return [this](const std::vector<EventMark>& marks) -> core::Status {
      std::unique_lock lock(mu_);
      sent_.push_back(marks);
      cv_.notify_all();
      cv_.wait(lock, [&] { return !holding_; });
      if (failures_ > 0) {
        --failures_;
        return core::Error::unavailable("the server is down");
      }
      if (refusals_ > 0) {
        --refusals_;
        return core::Error::invalidArgument("payload too long");
      }
      return core::okStatus();
    };
  }
  void hold() {
    std::lock_guard lock(mu_);
    holding_ = true;
  }
  void release() {
    {
      std::lock_guard lock(mu_);
      holding_ = false;
    }
    cv_.notify_all();
  }
  void failNext(int n) {
    std::lock_guard lock(mu_);
    failures_ = n;
  }
  void refuseNext(int n) {
    std::lock_guard lock(mu_);
    refusals_ = n;
  }
  // Waits (bounded) until n sends have started; returns them all.
  std::vector<std::vector<EventMark>> waitForSends(std::size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return sent_.size() >= n; });
    return sent_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::vector<EventMark>> sent_;
  bool holding_ = false;
  int failures_ = 0;
  int refusals_ = 0;
};

TEST(CoalescingEventSignalTest, MarksThatComeDuringASendGoInTheNextOneWithTheHighestSeqPerWorkflow) {
  RecordingSender recorder;
  CoalescingEventSignal signal(recorder.sender(), std::chrono::milliseconds(0));
  recorder.hold();
  signal.notify({1, 10, 1});
  recorder.waitForSends(1);  // held inside the first send
  signal.notify({1, 10, 2});
  signal.notify({1, 10, 5});
  signal.notify({1, 10, 3});
  signal.notify({2, 20, 7});
  recorder.release();
  auto sends = recorder.waitForSends(2);
  signal.stop();
  ASSERT_EQ(recorder.waitForSends(2).size(), 2u);
  EXPECT_EQ(sends[0], (std::vector<EventMark>{{1, 10, 1}}));
  EXPECT_EQ(sends[1], (std::vector<EventMark>{{1, 10, 5}, {2, 20, 7}}));
}

TEST(CoalescingEventSignalTest, SendsAreAnIntervalApartAndStopSendsWhatIsPending) {
  RecordingSender recorder;
  CoalescingEventSignal signal(recorder.sender(), std::chrono::hours(1));
  signal.notify({1, 10, 1});  // the first after a quiet interval goes at once
  recorder.waitForSends(1);
  for (std::int64_t seq = 2; seq <= 9; ++seq) signal.notify({1, 10, seq});  // wait for the interval
  signal.stop();
  auto sends = recorder.waitForSends(2);
  ASSERT_EQ(sends.size(), 2u);
  EXPECT_EQ(sends[1], (std::vector<EventMark>{{1, 10, 9}}));
  EXPECT_EQ(signal.sends(), 2u);
}

TEST(CoalescingEventSignalTest, AFailedSendIsMergedIntoTheNextOne) {
  RecordingSender recorder;
  recorder.failNext(1);
  recorder.hold();
  CoalescingEventSignal signal(recorder.sender(), std::chrono::milliseconds(0));
  signal.notify({1, 10, 4});
  recorder.waitForSends(1);
  signal.notify({1, 11, 1});
  signal.notify({1, 10, 3});  // lower than the failed one's: the failed one's seq stays
  recorder.release();
  auto sends = recorder.waitForSends(2);
  signal.stop();
  ASSERT_GE(sends.size(), 2u);
  EXPECT_EQ(sends[1], (std::vector<EventMark>{{1, 10, 4}, {1, 11, 1}}));
}

TEST(CoalescingEventSignalTest, MarksTheServerRefusesAreDropped) {
  RecordingSender recorder;
  recorder.refuseNext(1);
  recorder.hold();
  CoalescingEventSignal signal(recorder.sender(), std::chrono::milliseconds(0));
  signal.notify({1, 10, 4});
  recorder.waitForSends(1);
  signal.notify({1, 11, 1});
  recorder.release();
  auto sends = recorder.waitForSends(2);
  signal.stop();
  ASSERT_GE(sends.size(), 2u);
  EXPECT_EQ(sends[1], (std::vector<EventMark>{{1, 11, 1}}));
}

}  // namespace
}  // namespace codecrew::events::test
