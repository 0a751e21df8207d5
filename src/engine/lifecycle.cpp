#include "engine/lifecycle.h"

#include <algorithm>
#include <array>

namespace codecrew::engine {
namespace {

core::Error refused(Stage from, Stage to, const std::string& why) {
  return core::Error{core::ErrorCode::kFailedPrecondition,
                     "invalid transition " + std::string(stageName(from)) + " -> " + std::string(stageName(to)) + ": " +
                         why,
                     boost::json::object{{"from", stageName(from)}, {"to", stageName(to)}}};
}

}  // namespace

bool isWorkStage(Stage stage) { return stage >= Stage::kPlanning && stage <= Stage::kMonitor; }
bool isTerminal(Stage stage) { return stage == Stage::kDone || stage == Stage::kFailed || stage == Stage::kCancelled; }

const std::vector<Stage>& allWorkStages() {
  static const std::vector<Stage> kStages{Stage::kPlanning, Stage::kDesign, Stage::kBuild,  Stage::kTest,
                                          Stage::kReview,   Stage::kDeploy, Stage::kMonitor};
  return kStages;
}

core::Result<Lifecycle> Lifecycle::create(LifecycleOptions options) {
  if (options.stages.empty()) return core::Error::invalidArgument("a crew needs at least one stage");
  for (Stage s : options.stages)
    if (!isWorkStage(s))
      return core::Error::invalidArgument("stage " + std::string(stageName(s)) + " is not a working stage");
  std::sort(options.stages.begin(), options.stages.end());
  options.stages.erase(std::unique(options.stages.begin(), options.stages.end()), options.stages.end());
  if (options.max_test_loops < 0 || options.max_review_loops < 0)
    return core::Error::invalidArgument("loop bounds must not be negative");
  return Lifecycle(std::move(options));
}

bool Lifecycle::listed(Stage s) const {
  return std::find(options_.stages.begin(), options_.stages.end(), s) != options_.stages.end();
}

std::optional<Stage> Lifecycle::after(Stage s) const {
  if (s == Stage::kNew) return options_.stages.front();
  auto it = std::upper_bound(options_.stages.begin(), options_.stages.end(), s);
  if (it == options_.stages.end()) return Stage::kDone;
  return *it;
}

core::Result<Stage> Lifecycle::nextStage() const {
  if (isTerminal(current_) || current_ == Stage::kWaitingApproval)
    return core::Error{core::ErrorCode::kFailedPrecondition, "no next stage from " + std::string(stageName(current_)),
                       nullptr};
  return *after(current_);
}

core::Status Lifecycle::checkFrom(Stage from, Stage to) const {
  if (isTerminal(from)) return refused(from, to, "the execution has ended");
  if (to == Stage::kFailed || to == Stage::kCancelled) return core::okStatus();
  if (to == Stage::kNew) return refused(from, to, "an execution never returns to NEW");
  if (to == Stage::kWaitingApproval) {
    if (from == Stage::kWaitingApproval) return refused(from, to, "already waiting for approval");
    return core::okStatus();
  }
  if (isWorkStage(to) && !listed(to)) return refused(from, to, "the crew skips this stage");
  if (to == *after(from)) return core::okStatus();
  if (to == Stage::kBuild && from == Stage::kTest) {
    if (test_loops_ >= options_.max_test_loops)
      return core::Error{core::ErrorCode::kResourceExhausted,
                         "TEST -> BUILD loop-back limit reached (" + std::to_string(options_.max_test_loops) + ")",
                         nullptr};
    return core::okStatus();
  }
  if (to == Stage::kBuild && from == Stage::kReview) {
    if (review_loops_ >= options_.max_review_loops)
      return core::Error{core::ErrorCode::kResourceExhausted,
                         "REVIEW -> BUILD loop-back limit reached (" + std::to_string(options_.max_review_loops) + ")",
                         nullptr};
    return core::okStatus();
  }
  return refused(from, to, "not a step of the lifecycle");
}

core::Status Lifecycle::check(Stage to) const {
  if (current_ != Stage::kWaitingApproval) return checkFrom(current_, to);
  if (to == Stage::kWaitingApproval) return refused(current_, to, "already waiting for approval");
  // Leaving a pause: back to the paused stage, or on as that stage could have gone.
  if (to == *paused_ || to == Stage::kFailed || to == Stage::kCancelled) return core::okStatus();
  return checkFrom(*paused_, to);
}

core::Status Lifecycle::transition(Stage to) {
  if (auto ok = check(to); !ok) return ok;
  Stage from = current_ == Stage::kWaitingApproval ? *paused_ : current_;
  if (to == Stage::kBuild && from == Stage::kTest) ++test_loops_;
  if (to == Stage::kBuild && from == Stage::kReview) ++review_loops_;
  if (to == Stage::kWaitingApproval) {
    paused_ = current_;
  } else {
    paused_.reset();
  }
  current_ = to;
  return core::okStatus();
}

core::Status Lifecycle::advance() {
  auto next = nextStage();
  if (!next) return next.error();
  return transition(*next);
}

boost::json::object Lifecycle::toJson() const {
  boost::json::object o{{"current", stageName(current_)}, {"test_loops", test_loops_}, {"review_loops", review_loops_}};
  if (paused_) o["paused_at"] = stageName(*paused_);
  return o;
}

core::Result<Lifecycle> Lifecycle::fromJson(LifecycleOptions options, const boost::json::value& json) {
  auto created = create(std::move(options));
  if (!created) return created;
  Lifecycle l = std::move(created).value();
  const auto* o = json.if_object();
  if (!o) return core::Error::invalidArgument("lifecycle checkpoint is not an object");
  const auto* cur = o->if_contains("current");
  auto stage = cur && cur->is_string() ? parseStage(cur->as_string()) : std::nullopt;
  if (!stage) return core::Error::invalidArgument("lifecycle checkpoint has no valid current stage");
  l.current_ = *stage;
  if (const auto* p = o->if_contains("paused_at"); p && p->is_string()) l.paused_ = parseStage(p->as_string());
  if (l.current_ == Stage::kWaitingApproval && !l.paused_)
    return core::Error::invalidArgument("lifecycle checkpoint is paused without a stage");
  if (const auto* t = o->if_contains("test_loops"); t && t->is_int64()) l.test_loops_ = static_cast<int>(t->as_int64());
  if (const auto* r = o->if_contains("review_loops"); r && r->is_int64())
    l.review_loops_ = static_cast<int>(r->as_int64());
  return l;
}

}  // namespace codecrew::engine
