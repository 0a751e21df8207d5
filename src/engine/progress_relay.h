// ProgressRelay: the engine's ProgressSink, passed on to whoever listens to
// one execution (a streamed crew-model answer shows its stages as they
// happen) and to a tap that sees every execution's progress (the server
// publishes some of it as live-only events). Progress nobody listens to is
// dropped.
// Thread-safety: every method may be called from any thread; a listener is
// called on the engine's thread, outside the relay's lock, and must not block.
#pragma once

#include "engine/crew_engine.h"

#include <map>
#include <mutex>

namespace codecrew::engine {

class ProgressRelay {
 public:
  using Listener = std::function<void(const std::string& kind, const boost::json::object& data)>;

  // The sink to give the engine (EngineDeps::progress).
  ProgressSink sink();
  void listen(core::Id execution_id, Listener fn);
  // Sees the progress of every execution (e.g. to publish live-only events);
  // set once, before the engine runs.
  void tapAll(ProgressSink fn);
  void stop(core::Id execution_id);
  void publish(core::Id execution_id, const std::string& kind, const boost::json::object& data);

 private:
  std::mutex mu_;
  std::map<core::Id, std::shared_ptr<Listener>> listeners_;  // guarded by mu_
  std::shared_ptr<ProgressSink> tap_;                        // guarded by mu_
};

}  // namespace codecrew::engine
