#include "core/thread_identity.h"

#include <gtest/gtest.h>

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <string>
#include <thread>

namespace codecrew::core {
namespace {

std::string threadName() {
  char name[32] = {};
  pthread_getname_np(pthread_self(), name, sizeof name);
  return name;
}

int threadNice() { return ::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid))); }

// Each check runs on a thread of its own: the test runner's keeps its name and priority.
TEST(ThreadIdentityTest, NamesTheCallingThreadCutTo15Bytes) {
  std::string short_name, long_name;
  std::thread([&] {
    nameThisThread("cc-io-1");
    short_name = threadName();
    nameThisThread("cc-a-name-longer-than-fifteen");
    long_name = threadName();
  }).join();
  EXPECT_EQ(short_name, "cc-io-1");
  EXPECT_EQ(long_name, "cc-a-name-longe");
}

TEST(ThreadIdentityTest, LowersOnlyTheCallingThreadsPriority) {
  int before = threadNice();
  int inside_before = 0, inside_after = 0;
  bool lowered = false;
  std::thread([&] {
    inside_before = threadNice();
    lowered = lowerThisThreadPriority(5);
    inside_after = threadNice();
  }).join();
  EXPECT_TRUE(lowered);
  EXPECT_EQ(inside_after, std::min(19, inside_before + 5));
  EXPECT_EQ(threadNice(), before);
}

}  // namespace
}  // namespace codecrew::core
