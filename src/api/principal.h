// Principal: who an API request acts as (a tenant, the key it came with, the
// key's role and hash), as authenticate() finds it.
// Thread-safety: a plain value.
#pragma once

#include "core/ids.h"
#include "store/models.h"

#include <optional>
#include <string>

namespace codecrew::api {

struct Principal {
  core::Id tenant_id = 0;
  std::optional<core::Id> api_key_id;  // absent in dev mode
  store::Role role = store::Role::kViewer;
  std::string key_hash;  // SHA-256 hex of the key (never the key itself); empty in dev mode
};

}  // namespace codecrew::api
