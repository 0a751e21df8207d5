#include "core/thread_identity.h"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <string>

namespace codecrew::core {

void nameThisThread(std::string_view name) {
  std::string cut(name.substr(0, 15));
  pthread_setname_np(pthread_self(), cut.c_str());
}

bool lowerThisThreadPriority(int steps) {
  // On Linux a thread id names one thread for setpriority (a per-thread nice).
  auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  int current = ::getpriority(PRIO_PROCESS, tid);
  return ::setpriority(PRIO_PROCESS, tid, std::min(19, current + std::clamp(steps, 1, 19))) == 0;
}

}  // namespace codecrew::core
