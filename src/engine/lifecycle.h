// Lifecycle: the state machine of one execution (SPEC §3):
//   NEW → PLANNING → DESIGN → BUILD → TEST → REVIEW → DEPLOY → MONITOR → DONE
// with FAILED and CANCELLED as ends and WAITING_APPROVAL as a pause. A crew
// may skip stages: only the stages it lists are visited, in lifecycle order.
// TEST→BUILD and REVIEW→BUILD are loop-backs, each bounded by a maximum.
// Every transition the machine does not allow is refused with an Error and
// leaves the state unchanged.
// Thread-safety: a plain value; one owner at a time.
#pragma once

#include "core/result.h"

#include <boost/json/value.hpp>

#include "store/statuses.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::engine {

// The stages are the store's vocabulary (store/statuses.h).
using store::parseStage;
using store::Stage;
using store::stageName;
// PLANNING ... MONITOR: the stages in which agents work.
bool isWorkStage(Stage stage);
bool isTerminal(Stage stage);
// The working stages in lifecycle order.
const std::vector<Stage>& allWorkStages();

struct LifecycleOptions {
  std::vector<Stage> stages;  // the crew's working stages; sorted into lifecycle order
  int max_test_loops = 3;     // TEST→BUILD loop-backs allowed
  int max_review_loops = 2;   // REVIEW→BUILD loop-backs allowed
};

class Lifecycle {
 public:
  // kInvalidArgument when options name a non-working stage or none at all.
  static core::Result<Lifecycle> create(LifecycleOptions options);

  Stage current() const { return current_; }
  // The stage that was paused while current() is WAITING_APPROVAL.
  std::optional<Stage> pausedAt() const { return paused_; }
  const std::vector<Stage>& stages() const { return options_.stages; }
  int testLoops() const { return test_loops_; }
  int reviewLoops() const { return review_loops_; }

  // The stage a normal advance leads to: the crew's next stage, or DONE after
  // the last; NEW leads to the first stage. kFailedPrecondition at an end or
  // while paused.
  core::Result<Stage> nextStage() const;
  // Whether `to` is allowed from the current state, without taking it.
  core::Status check(Stage to) const;
  // Takes the transition, or refuses it (kFailedPrecondition naming both
  // stages, or kResourceExhausted when a loop-back's bound is spent).
  core::Status transition(Stage to);
  // Shorthand: transition(nextStage()).
  core::Status advance();

  // Serialised form for checkpoints; fromJson restores it against the same options.
  boost::json::object toJson() const;
  static core::Result<Lifecycle> fromJson(LifecycleOptions options, const boost::json::value& json);

 private:
  explicit Lifecycle(LifecycleOptions options) : options_(std::move(options)) {}
  bool listed(Stage s) const;
  std::optional<Stage> after(Stage s) const;
  core::Status checkFrom(Stage from, Stage to) const;

  LifecycleOptions options_;
  Stage current_ = Stage::kNew;
  std::optional<Stage> paused_;
  int test_loops_ = 0;
  int review_loops_ = 0;
};

}  // namespace codecrew::engine
