// `codecrew keys create|list|revoke` and `codecrew migrate`.
#include "api/auth.h"
#include "app/app_setup.h"
#include "app/commands.h"
#include "app/migrate_command.h"
#include "core/time_format.h"

#include <fmt/core.h>

#include <iostream>

namespace codecrew::app {
namespace {

// The keys commands need only tenants and keys.
core::Result<std::shared_ptr<store::TenantStore>> openTenants(const CommonOptions& options) {
  auto config = loadAppConfig(options);
  if (!config) return config.error();
  auto st = openAppStore(*config, core::SystemClock::instance());
  if (!st) return st.error();
  return std::shared_ptr<store::TenantStore>(std::move(st).value());
}

int fail(const core::Error& e, int code = 1) {
  std::cerr << "codecrew: " << e.message << "\n";
  return code;
}

}  // namespace

int runMigrate(const CommonOptions& options) {
  auto config = loadAppConfig(options);
  if (!config) return fail(config.error(), 2);
  auto st = openAppStore(*config, core::SystemClock::instance());  // opening migrates
  if (!st) return fail(st.error(), setupExitCode(st.error()));
  auto version = (*st)->schemaVersion();
  if (!version) return fail(version.error());
  const std::string& url = config->storage.database_url;
  const bool postgres = url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0;
  std::cout << "schema at version " << *version << " (" << (postgres ? redactedDatabaseUrl(url) : config->sqlitePath())
            << ")\n";
  return 0;
}

int runKeysCreate(const CommonOptions& options, const std::string& tenant, const std::string& role,
                  const std::string& name) {
  auto r = store::parseRole(role);
  if (!r) return fail(core::Error::invalidArgument("--role must be admin, member or viewer"), 2);
  auto st = openTenants(options);
  if (!st) return fail(st.error(), setupExitCode(st.error()));
  auto minted = api::mintApiKey(**st, tenant, *r, name);
  if (!minted) return fail(minted.error());
  std::cout << minted->secret << "\n";
  std::cerr << fmt::format(
      "created key {} ({}...) for tenant '{}' with role {}; it is shown only once, "
      "store it now\n",
      minted->key.id, minted->key.prefix, tenant, role);
  return 0;
}

int runKeysList(const CommonOptions& options, const std::optional<std::string>& tenant) {
  auto st = openTenants(options);
  if (!st) return fail(st.error(), setupExitCode(st.error()));
  std::optional<core::Id> tenant_id;
  if (tenant) {
    auto t = (*st)->findTenantByName(*tenant);
    if (!t) return fail(t.error());
    if (!*t) return fail(core::Error::notFound("no tenant named '" + *tenant + "'"));
    tenant_id = (*t)->id;
  }
  auto keys = (*st)->listApiKeys(tenant_id);
  if (!keys) return fail(keys.error());
  std::cout << fmt::format("{:>5}  {:<16} {:<14} {:<7} {:<24} {:<24} {}\n", "ID", "TENANT", "PREFIX", "ROLE", "CREATED",
                           "LAST USED", "STATUS");
  for (const auto& k : *keys) {
    auto t = (*st)->getTenant(k.tenant_id);
    std::cout << fmt::format("{:>5}  {:<16} {:<14} {:<7} {:<24} {:<24} {}\n", k.id,
                             t ? t->name : std::to_string(k.tenant_id), k.prefix + "...", store::roleName(k.role),
                             core::formatIso8601(k.created_at),
                             k.last_used_at ? core::formatIso8601(*k.last_used_at) : "-",
                             k.revoked_at ? "revoked " + core::formatIso8601(*k.revoked_at) : "active");
  }
  return 0;
}

int runKeysRevoke(const CommonOptions& options, long long key_id) {
  auto st = openTenants(options);
  if (!st) return fail(st.error(), setupExitCode(st.error()));
  auto k = (*st)->revokeApiKey(key_id);
  if (!k) return fail(k.error());
  std::cout << "revoked key " << k->id << " (" << k->prefix << "...)\n";
  return 0;
}

}  // namespace codecrew::app
