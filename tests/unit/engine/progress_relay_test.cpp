// Progress: every model call announces its start (with the ids a live event
// needs), and the relay passes progress to the tap and to the one execution's
// listener.
#include "engine/progress_relay.h"
#include "engine_fixture.h"

namespace codecrew::engine::test {
namespace {

class ProgressTest : public EngineFixture {};

TEST_F(ProgressTest, EveryModelCallAnnouncesItsStart) {
  auto engine = makeEngine();
  auto exec = newExecution();
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kCompleted);
  EXPECT_EQ(std::count(progress_.begin(), progress_.end(), "llm_call.start"), provider_->calls.load());
  EXPECT_EQ(std::count(progress_.begin(), progress_.end(), "llm_call"), provider_->calls.load());
}

TEST(ProgressRelayTest, ListenersSeeOnlyTheirExecutionAndTheTapSeesAll) {
  ProgressRelay relay;
  int tapped = 0, heard = 0;
  relay.tapAll([&](core::Id, const std::string&, const boost::json::object&) { ++tapped; });
  relay.listen(7, [&](const std::string& kind, const boost::json::object&) { heard += kind == "stage"; });
  auto sink = relay.sink();
  sink(7, "stage", {});
  sink(8, "stage", {});
  relay.stop(7);
  sink(7, "stage", {});
  EXPECT_EQ(tapped, 3);
  EXPECT_EQ(heard, 1);
}

}  // namespace
}  // namespace codecrew::engine::test
