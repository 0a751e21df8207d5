#include "store/sql/tenant_queries.h"

#include "store/sql/query_support.h"

namespace codecrew::store::sql {
namespace {

constexpr std::string_view kTenantColumns = "id, name, created_at, updated_at";

Tenant readTenant(const Statement& s) { return Tenant{s.i64(0), s.text(1), s.i64(2), s.i64(3)}; }

constexpr std::string_view kKeyColumns =
    "id, tenant_id, name, prefix, key_hash, role, created_at, updated_at, revoked_at, last_used_at";

ApiKey readKey(const Statement& s) {
  ApiKey k;
  k.id = s.i64(0);
  k.tenant_id = s.i64(1);
  k.name = s.text(2);
  k.prefix = s.text(3);
  k.key_hash = s.text(4);
  k.role = parseRole(s.text(5)).value_or(Role::kViewer);
  k.created_at = s.i64(6);
  k.updated_at = s.i64(7);
  k.revoked_at = s.optI64(8);
  k.last_used_at = s.optI64(9);
  return k;
}

constexpr std::string_view kAuditColumns =
    "id, tenant_id, api_key_id, action, method, path, status, request_id, details, created_at";

AuditEntry readAudit(const Statement& s) {
  AuditEntry a;
  a.id = s.i64(0);
  a.tenant_id = s.i64(1);
  a.api_key_id = s.optI64(2);
  a.action = s.text(3);
  a.method = s.text(4);
  a.path = s.text(5);
  a.status = s.i32(6);
  a.request_id = s.text(7);
  a.details = s.json(8);
  a.created_at = s.i64(9);
  return a;
}

constexpr std::string_view kProjectColumns =
    "id, tenant_id, name, workspace_path, repository_url, default_crew, budgets, created_at, updated_at";

Project readProject(const Statement& s) {
  Project p;
  p.id = s.i64(0);
  p.tenant_id = s.i64(1);
  p.name = s.text(2);
  p.workspace_path = s.text(3);
  p.repository_url = s.text(4);
  p.default_crew = s.text(5);
  p.budgets = s.json(6);
  p.created_at = s.i64(7);
  p.updated_at = s.i64(8);
  return p;
}

Result<ApiKey> getKey(Connection& conn, Id key_id) {
  return fetchExisting<ApiKey>(conn, selectSql(kKeyColumns, "FROM api_keys WHERE id = ?"), {key_id}, readKey, "API key",
                               key_id);
}

}  // namespace

Result<Tenant> ensureTenant(Connection& conn, Millis now, const std::string& name) {
  if (name.empty()) return core::Error::invalidArgument("tenant name must not be empty");
  auto ins = execute(conn,
                     "INSERT INTO tenants (name, created_at, updated_at) VALUES (?, ?, ?) "
                     "ON CONFLICT (name) DO NOTHING",
                     {name, now, now});
  if (!ins.ok()) return std::move(ins).error();
  auto found = findTenantByName(conn, name);
  if (!found.ok()) return std::move(found).error();
  if (!*found) return core::Error::internal("tenant '" + name + "' vanished after insert");
  return std::move(**found);
}

Result<Tenant> getTenant(Connection& conn, Id tenant_id) {
  return fetchExisting<Tenant>(conn, selectSql(kTenantColumns, "FROM tenants WHERE id = ?"), {tenant_id}, readTenant,
                               "tenant", tenant_id);
}

Result<std::optional<Tenant>> findTenantByName(Connection& conn, const std::string& name) {
  return fetchOne<Tenant>(conn, selectSql(kTenantColumns, "FROM tenants WHERE name = ?"), {name}, readTenant);
}

Result<ApiKey> createApiKey(Connection& conn, Millis now, const ApiKey& key) {
  if (key.key_hash.empty()) return core::Error::invalidArgument("an API key needs its hash");
  auto exists = fetchInt(conn, "SELECT count(*) FROM tenants WHERE id = ?", {key.tenant_id});
  if (!exists.ok()) return std::move(exists).error();
  if (*exists == 0) return notFound("tenant", key.tenant_id);
  auto ins = insertReturningId(conn,
                               "INSERT INTO api_keys (tenant_id, name, prefix, key_hash, role, created_at, updated_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)",
                               {key.tenant_id, key.name, key.prefix, key.key_hash, std::string(roleName(key.role)), now,
                                now});
  if (!ins.ok()) {
    if (ins.error().code == core::ErrorCode::kAlreadyExists) {
      return core::Error::alreadyExists("an API key with this hash already exists");
    }
    return std::move(ins).error();
  }
  return getKey(conn, *ins);
}

Result<std::optional<ApiKey>> findApiKeyByHash(Connection& conn, const std::string& key_hash) {
  return fetchOne<ApiKey>(conn, selectSql(kKeyColumns, "FROM api_keys WHERE key_hash = ?"), {key_hash}, readKey);
}

Result<std::vector<ApiKey>> listApiKeys(Connection& conn, std::optional<Id> tenant_id) {
  if (tenant_id) {
    return fetchAll<ApiKey>(conn, selectSql(kKeyColumns, "FROM api_keys WHERE tenant_id = ? ORDER BY id"), {*tenant_id},
                            readKey);
  }
  return fetchAll<ApiKey>(conn, selectSql(kKeyColumns, "FROM api_keys ORDER BY id"), {}, readKey);
}

Result<ApiKey> revokeApiKey(Connection& conn, Millis now, Id key_id) {
  auto changed = execute(conn, "UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?), updated_at = ? WHERE id = ?",
                         {now, now, key_id});
  if (!changed.ok()) return std::move(changed).error();
  if (*changed == 0) return notFound("API key", key_id);
  return getKey(conn, key_id);
}

Status touchApiKey(Connection& conn, Id key_id, Millis used_at) {
  auto changed = execute(conn, "UPDATE api_keys SET last_used_at = ? WHERE id = ?", {used_at, key_id});
  if (!changed.ok()) return std::move(changed).error();
  if (*changed == 0) return notFound("API key", key_id);
  return {};
}

Result<std::optional<Millis>> apiKeyLastUsed(Connection& conn, Id key_id) {
  return fetchExisting<std::optional<Millis>>(
      conn, "SELECT last_used_at FROM api_keys WHERE id = ?", {key_id}, [](const Statement& s) { return s.optI64(0); },
      "API key", key_id);
}

Status appendAudit(Connection& conn, Millis now, const AuditEntry& e) {
  if (e.action.empty()) return core::Error::invalidArgument("an audit entry needs an action");
  auto ins = execute(conn,
                     "INSERT INTO audit_entries (tenant_id, api_key_id, action, method, path, status, request_id, "
                     "details, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     {e.tenant_id, sqlOpt(e.api_key_id), e.action, e.method, e.path,
                      static_cast<std::int64_t>(e.status), e.request_id, sqlJson(e.details), now});
  if (!ins.ok()) return std::move(ins).error();
  return {};
}

Result<Page<AuditEntry>> listAudit(Connection& conn, Id tenant_id, const PageRequest& page) {
  return fetchPage<AuditEntry>(conn, kAuditColumns, "FROM audit_entries WHERE tenant_id = ?", {tenant_id}, "id DESC",
                               page, readAudit);
}

Result<Project> createProject(Connection& conn, Millis now, const Project& p) {
  if (p.name.empty()) return core::Error::invalidArgument("a project needs a name");
  auto ins = insertReturningId(
      conn,
      "INSERT INTO projects (tenant_id, name, workspace_path, repository_url, default_crew, budgets, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {p.tenant_id, p.name, p.workspace_path, p.repository_url, p.default_crew, sqlJson(p.budgets), now, now});
  if (!ins.ok()) return std::move(ins).error();
  return getProject(conn, p.tenant_id, *ins);
}

Result<Project> getProject(Connection& conn, Id tenant_id, Id id) {
  return fetchExisting<Project>(conn, selectSql(kProjectColumns, "FROM projects WHERE tenant_id = ? AND id = ?"),
                                {tenant_id, id}, readProject, "project", id);
}

Result<Page<Project>> listProjects(Connection& conn, Id tenant_id, const PageRequest& page) {
  return fetchPage<Project>(conn, kProjectColumns, "FROM projects WHERE tenant_id = ?", {tenant_id}, "id DESC", page,
                            readProject);
}

}  // namespace codecrew::store::sql
