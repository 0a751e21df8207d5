#include "api/auth.h"

#include "api/dev_guard.h"
#include "api/key_cache.h"
#include "core/crypto.h"

namespace codecrew::api {
namespace {

constexpr core::Millis kTouchIntervalMs = 60'000;
constexpr std::string_view kKeyPrefix = "cc_";

// Whether a key last used at last_used_at should have its use recorded now.
bool keyTouchDue(std::optional<core::Millis> last_used_at, core::Millis now) {
  return !last_used_at || now - *last_used_at > kTouchIntervalMs;
}

struct StoredKey {
  Principal principal;
  std::optional<core::Millis> last_used_at;  // after the touch, if one was made
};

// The store's valid, unrevoked key with this hash, its use recorded when due.
core::Result<StoredKey> findValidKey(store::TenantStore& keys, const std::string& key_hash, core::Millis now) {
  auto found = keys.findApiKeyByHash(key_hash);
  if (!found) return found.error();
  if (!*found) return core::Error::unauthenticated("invalid API key");
  const store::ApiKey& key = **found;
  if (key.revoked_at) return core::Error::unauthenticated("API key revoked");
  StoredKey stored{Principal{key.tenant_id, key.id, key.role, key.key_hash}, key.last_used_at};
  if (keyTouchDue(key.last_used_at, now)) {
    // Best effort: a failed touch must not fail the request (with a cache,
    // the next try comes an interval later).
    (void)keys.touchApiKey(key.id, now);
    stored.last_used_at = now;
  }
  return stored;
}

}  // namespace

core::Result<MintedKey> mintApiKey(store::TenantStore& tenants, const std::string& tenant_name, store::Role role,
                                   const std::string& label) {
  if (tenant_name.empty() || tenant_name.size() > 100)
    return core::Error::invalidArgument("tenant name must be 1 to 100 characters");
  auto tenant = tenants.ensureTenant(tenant_name);
  if (!tenant) return tenant.error();
  MintedKey minted;
  minted.secret = std::string(kKeyPrefix) + core::randomHex(24);
  minted.key.tenant_id = tenant->id;
  minted.key.name = label;
  minted.key.prefix = minted.secret.substr(0, 11);
  minted.key.key_hash = core::sha256Hex(minted.secret);
  minted.key.role = role;
  auto stored = tenants.createApiKey(minted.key);
  if (!stored) return stored.error();
  minted.key = *stored;
  return minted;
}

core::Result<Principal> authenticate(const ApiContext& ctx, const http::Request& req) {
  if (ctx.dev) {
    if (auto ok = checkDevRequest(req); !ok) return ok.error();
    return Principal{ctx.dev_tenant_id, std::nullopt, store::Role::kAdmin};
  }
  auto header = req.header("Authorization");
  if (!header || header->empty())
    return core::Error::unauthenticated("missing API key: send 'Authorization: Bearer <key>'");
  constexpr std::string_view kBearer = "Bearer ";
  if (header->size() <= kBearer.size() || header->compare(0, kBearer.size(), kBearer) != 0)
    return core::Error::unauthenticated("malformed Authorization header: expected 'Bearer <key>'");
  std::string key_hash = core::sha256Hex(std::string_view(*header).substr(kBearer.size()));
  auto now = ctx.clock->nowMillis();
  if (ctx.key_cache) {
    // A hit whose use is due to be recorded goes to the store like a miss.
    auto hit = ctx.key_cache->find(key_hash);
    if (hit && !keyTouchDue(hit->last_used_at, now)) return hit->principal;
  }
  auto stored = findValidKey(*ctx.store, key_hash, now);
  if (!stored) return stored.error();
  if (ctx.key_cache) ctx.key_cache->insert(key_hash, stored->principal, stored->last_used_at);
  return stored->principal;
}

core::Status requireWrite(const Principal& p) {
  if (p.role == store::Role::kViewer)
    return core::Error::permissionDenied("this API key has the viewer role, which cannot make changes");
  return core::okStatus();
}

}  // namespace codecrew::api
