#include "store/store_factory.h"

#include "store/sqlite/sqlite_store.h"

#include <filesystem>
#include <system_error>

namespace codecrew::store {
namespace {

bool startsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

core::Result<std::unique_ptr<Store>> openSqliteStore(const std::string& path, std::shared_ptr<core::Clock> clock) {
  if (path.empty()) return core::Error::invalidArgument("the SQLite database path is empty");
  if (path != ":memory:") {
    const auto dir = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (ec) {
      return core::Error::unavailable("cannot create the data directory '" + dir.string() + "': " + ec.message());
    }
  }
  auto store = SqliteStore::open(path, std::move(clock));
  if (!store.ok()) return std::move(store).error();
  if (auto v = (*store)->migrate(); !v.ok()) return std::move(v).error();
  return std::unique_ptr<Store>(std::move(store).value());
}

core::Result<std::unique_ptr<Store>> openStore(const core::Config& config, std::shared_ptr<core::Clock> clock) {
  const std::string& url = config.storage.database_url;
  if (startsWith(url, "postgres://") || startsWith(url, "postgresql://")) {
    return core::Error{
        core::ErrorCode::kUnimplemented,
        "PostgreSQL support arrives with the scale-out work; for now use SQLite (leave DATABASE_URL "
        "unset for a file under the data directory, or set it to sqlite:////absolute/path/codecrew.db or sqlite:///relative/path.db)",
        nullptr};
  }
  if (!url.empty() && !startsWith(url, "sqlite:")) {
    return core::Error::invalidArgument(
        "DATABASE_URL must be a sqlite:// URL (PostgreSQL arrives with the scale-out work)");
  }
  return openSqliteStore(config.sqlitePath(), std::move(clock));
}

}  // namespace codecrew::store
