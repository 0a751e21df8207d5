// SQL for tenants, API keys, the audit log and projects. Each function runs
// inside a transaction the caller (SqliteStore) has opened on conn; `now` is
// the store clock's time for created_at/updated_at.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "store/sqlite/sqlite_connection.h"
#include "store/store.h"

namespace codecrew::store::sqlite {

Result<Tenant> ensureTenant(SqliteConnection& conn, Millis now, const std::string& name);
Result<Tenant> getTenant(SqliteConnection& conn, Id tenant_id);
Result<std::optional<Tenant>> findTenantByName(SqliteConnection& conn, const std::string& name);

Result<ApiKey> createApiKey(SqliteConnection& conn, Millis now, const ApiKey& key);
Result<std::optional<ApiKey>> findApiKeyByHash(SqliteConnection& conn, const std::string& key_hash);
Result<std::vector<ApiKey>> listApiKeys(SqliteConnection& conn, std::optional<Id> tenant_id);
Result<ApiKey> revokeApiKey(SqliteConnection& conn, Millis now, Id key_id);
Status touchApiKey(SqliteConnection& conn, Id key_id, Millis used_at);
// The key's last_used_at (nullopt if never used); kNotFound if no such key.
Result<std::optional<Millis>> apiKeyLastUsed(SqliteConnection& conn, Id key_id);

Status appendAudit(SqliteConnection& conn, Millis now, const AuditEntry& entry);
Result<Page<AuditEntry>> listAudit(SqliteConnection& conn, Id tenant_id, const PageRequest& page);

Result<Project> createProject(SqliteConnection& conn, Millis now, const Project& p);
Result<Project> getProject(SqliteConnection& conn, Id tenant_id, Id id);
Result<Page<Project>> listProjects(SqliteConnection& conn, Id tenant_id, const PageRequest& page);

}  // namespace codecrew::store::sqlite
