// ApiContext: what every HTTP handler may use: the store, the configuration,
// the clock, and facts about this process. Built once by `codecrew serve` and
// shared by all handlers.
// Thread-safety: members are immutable after construction, and Store and
// Clock are themselves thread-safe.
#pragma once

#include "core/clock.h"
#include "core/config.h"
#include "core/ids.h"
#include "store/store.h"

#include <memory>

namespace codecrew::api {

struct ApiContext {
  std::shared_ptr<store::Store> store;
  std::shared_ptr<const core::Config> config;
  std::shared_ptr<core::Clock> clock;
  bool dev = false;            // no keys: every request acts as dev_tenant_id, role admin
  core::Id dev_tenant_id = 0;  // the built-in tenant in dev mode
  core::Millis started_at = 0;
  bool engine_attached = false;  // false until the crew engine drives executions
};

}  // namespace codecrew::api
