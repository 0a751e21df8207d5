// TenantStore: tenants, their API keys and their audit trail: what
// authentication (the API's key lookup behind its key cache) and
// `codecrew keys` need. A key is found by the SHA-256 of its secret; the
// secret itself is never stored. Tenants, and keys looked up by hash or id,
// are not scoped to a tenant (a key names its own); the audit trail is, and
// the other contracts of store.h hold.
#pragma once

#include "store/store_types.h"

#include <optional>
#include <string>
#include <vector>

namespace codecrew::store {

class TenantStore {
 public:
  virtual ~TenantStore() = default;

  // Returns the tenant of that name, creating it if needed.
  virtual Result<Tenant> ensureTenant(const std::string& name) = 0;
  virtual Result<Tenant> getTenant(Id tenant_id) = 0;
  virtual Result<std::optional<Tenant>> findTenantByName(const std::string& name) = 0;
  // Stores key (hash, prefix, role, name, tenant_id). kAlreadyExists on a hash collision.
  virtual Result<ApiKey> createApiKey(const ApiKey& key) = 0;
  // Looks a key up by the SHA-256 of the presented secret (revoked ones too).
  virtual Result<std::optional<ApiKey>> findApiKeyByHash(const std::string& key_hash) = 0;
  // All keys, or one tenant's.
  virtual Result<std::vector<ApiKey>> listApiKeys(std::optional<Id> tenant_id) = 0;
  // Marks the key revoked. kNotFound if no such key.
  virtual Result<ApiKey> revokeApiKey(Id key_id) = 0;
  virtual Status touchApiKey(Id key_id, Millis used_at) = 0;

  virtual Status appendAudit(const AuditEntry& entry) = 0;
  virtual Result<Page<AuditEntry>> listAudit(Id tenant_id, const PageRequest& page) = 0;
};

}  // namespace codecrew::store
