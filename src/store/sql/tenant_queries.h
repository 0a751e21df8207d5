// SQL for tenants, API keys, the audit log and projects. Each function runs
// inside a transaction the caller (SqlStore) has opened on conn; `now` is
// the store clock's time for created_at/updated_at.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "store/sql/connection.h"
#include "store/store.h"

namespace codecrew::store::sql {

Result<Tenant> ensureTenant(Connection& conn, Millis now, const std::string& name);
Result<Tenant> getTenant(Connection& conn, Id tenant_id);
Result<std::optional<Tenant>> findTenantByName(Connection& conn, const std::string& name);

Result<ApiKey> createApiKey(Connection& conn, Millis now, const ApiKey& key);
Result<std::optional<ApiKey>> findApiKeyByHash(Connection& conn, const std::string& key_hash);
Result<std::vector<ApiKey>> listApiKeys(Connection& conn, std::optional<Id> tenant_id);
Result<ApiKey> revokeApiKey(Connection& conn, Millis now, Id key_id);
Status touchApiKey(Connection& conn, Id key_id, Millis used_at);
// The key's last_used_at (nullopt if never used); kNotFound if no such key.
Result<std::optional<Millis>> apiKeyLastUsed(Connection& conn, Id key_id);

Status appendAudit(Connection& conn, Millis now, const AuditEntry& entry);
Result<Page<AuditEntry>> listAudit(Connection& conn, Id tenant_id, const PageRequest& page);

Result<Project> createProject(Connection& conn, Millis now, const Project& p);
Result<Project> getProject(Connection& conn, Id tenant_id, Id id);
Result<Page<Project>> listProjects(Connection& conn, Id tenant_id, const PageRequest& page);

}  // namespace codecrew::store::sql
