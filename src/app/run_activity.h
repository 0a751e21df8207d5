// RunActivity: what `codecrew run` shows while a model call is in flight, so
// a slow model does not look like a hung program. On a terminal, a spinner
// line with the agent, its step and the seconds waited, redrawn in place and
// erased when the call ends; otherwise a plain line every `every` of waiting.
// Progress lines printed meanwhile go through the same mutex.
//
// onProgress() sees the run's progress events (llm_call.start opens a call,
// llm_call or any end closes it); tick() draws, and is called by a thread of
// its own once a second (start/stop), or directly by tests with their times.
// Thread-safety: every member may be called from any thread.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>

namespace codecrew::app {

class RunActivity {
 public:
  using Clock = std::chrono::steady_clock;

  // `mu` guards `out` for everyone writing to it.
  RunActivity(std::ostream& out, std::mutex& mu, bool terminal, std::chrono::seconds every = std::chrono::seconds(15));
  ~RunActivity();

  void onProgress(const std::string& kind, const boost::json::object& data, Clock::time_point now = Clock::now());
  void tick(Clock::time_point now);

  // Ticks once a second on a thread of its own until stop() (or destruction).
  void start();
  void stop();

  // Erases the spinner line (before other output); the caller holds `mu`.
  void clearLineLocked();

 private:
  struct Call {
    std::string agent, step;
    Clock::time_point started;
    Clock::time_point last_line;
  };

  std::ostream& out_;
  std::mutex& mu_;
  const bool terminal_;
  const std::chrono::seconds every_;
  std::optional<Call> call_;  // GUARDED_BY(mu_)
  bool drawn_ = false;        // GUARDED_BY(mu_): a spinner line is on the screen
  int frame_ = 0;             // GUARDED_BY(mu_)

  std::mutex thread_mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(thread_mu_)
  std::thread thread_;
};

}  // namespace codecrew::app
