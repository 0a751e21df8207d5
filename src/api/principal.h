// Principal: who an API request acts as (a tenant, the key it came with, the
// key's role), as authenticate() finds it.
// Thread-safety: a plain value.
#pragma once

#include "core/ids.h"
#include "store/models.h"

#include <optional>

namespace codecrew::api {

struct Principal {
  core::Id tenant_id = 0;
  std::optional<core::Id> api_key_id;  // absent in dev mode
  store::Role role = store::Role::kViewer;
};

}  // namespace codecrew::api
