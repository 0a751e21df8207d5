// Authentication and authorization of API requests. Every route but /health
// (and the docs) needs `Authorization: Bearer <key>`; the key is looked up by
// its SHA-256 and gives a tenant and a role. Viewers may only read.
// Thread-safety: functions over a thread-safe Store and KeyCache.
#pragma once

#include "api/api_context.h"
#include "api/principal.h"
#include "core/result.h"
#include "http/request.h"
#include "store/models.h"
#include "store/tenant_store.h"

#include <string>

namespace codecrew::api {

// A freshly minted key: the secret is shown once and never stored.
struct MintedKey {
  std::string secret;  // "cc_" followed by 48 hex characters
  store::ApiKey key;   // as stored (hash and prefix only)
};

// Creates a key for the tenant (created if missing) with the role.
core::Result<MintedKey> mintApiKey(store::TenantStore& tenants, const std::string& tenant_name, store::Role role,
                                   const std::string& label);

// Identifies the caller of req. kUnauthenticated for a missing, malformed,
// unknown or revoked key (the message says which and how to send one).
// Records the key's use in the store (touchApiKey, best effort) at most about
// once a minute per key. With ctx.key_cache set, a key that authenticated
// less than the cache's TTL ago is accepted without reading the store, so a
// key revoked in the store (by another process) keeps working for up to that
// TTL ([server] auth_cache_seconds, default 2); unknown keys are never cached.
core::Result<Principal> authenticate(const ApiContext& ctx, const http::Request& req);

// kPermissionDenied unless the principal may perform a mutating call.
core::Status requireWrite(const Principal& p);

}  // namespace codecrew::api
