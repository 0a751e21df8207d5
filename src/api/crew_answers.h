// CrewAnswers: the crew-model runs of the last few minutes, so that a
// retried request attaches to the run it repeats instead of starting (and
// paying for) a second one. A request is the same as an earlier one when it
// carries the same Idempotency-Key, or when an SDK says it is a retry
// (x-stainless-retry-count > 0) of the same body; both are per API key (one
// key never gets the answer to another's request). A run
// whose every caller went away before its answer is cancelled and forgotten.
// An answer is filled once, when its run ends; every request attached to it
// gets it (at once if it has ended, else when it does).
// Thread-safety: every method may be called from any thread; callbacks run
// outside the locks, on the thread that completes the answer or attaches.
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "engine/crewcode_service.h"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::api {

class CrewAnswer {
 public:
  using Listener = std::function<void(const core::Result<engine::CrewRun>&)>;
  // Calls fn with the answer: now if it is there, else when it comes.
  void subscribe(Listener fn);
  // Fills the answer (the first call wins) and tells every listener.
  void complete(core::Result<engine::CrewRun> result);
  bool ended() const;
  std::optional<core::Id> execution_id() const;
  void setExecution(core::Id id);
  // Callers waiting on the answer: one more, and one fewer (a caller that
  // went away); leave() is true when it was the last one and the answer has
  // not come, and marks the run abandoned: a retry then starts a new run
  // rather than attach to one being cancelled.
  void join();
  bool leave();
  bool abandoned() const;

 private:
  mutable std::mutex mu_;
  std::optional<core::Result<engine::CrewRun>> result_;  // guarded by mu_
  std::vector<Listener> listeners_;                      // guarded by mu_
  std::optional<core::Id> execution_id_;                 // guarded by mu_
  int callers_ = 0;                                      // guarded by mu_
  bool abandoned_ = false;                               // guarded by mu_
};

class CrewAnswers {
 public:
  explicit CrewAnswers(std::shared_ptr<core::Clock> clock, std::chrono::seconds window = std::chrono::minutes(10),
                       std::size_t capacity = 10000);

  // The fingerprints a request is remembered under and looked up by.
  struct Keys {
    std::optional<core::Id> api_key_id;          // the caller's (none in dev mode)
    std::optional<std::string> idempotency_key;  // the header's
    std::string body_hash;                       // sha256 of the body
    bool sdk_retry = false;                      // x-stainless-retry-count > 0
  };

  // The earlier run this request repeats, if any (within the window).
  std::shared_ptr<CrewAnswer> find(core::Id tenant_id, const Keys& keys);
  // Remembers a new run under the request's fingerprints.
  void remember(core::Id tenant_id, const Keys& keys, std::shared_ptr<CrewAnswer> answer);

 private:
  struct Entry {
    core::Millis at = 0;
    std::shared_ptr<CrewAnswer> answer;
  };
  void prune(core::Millis now);  // requires mu_

  std::shared_ptr<core::Clock> clock_;
  const core::Millis window_ms_;
  const std::size_t capacity_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;  // "<tenant>:key:<k>" / "<tenant>:body:<hash>"; guarded by mu_
};

}  // namespace codecrew::api
