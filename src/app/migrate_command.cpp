#include "app/migrate_command.h"

#include "core/clock.h"
#include "store/sql/database_copy.h"
#include "store/store_factory.h"

#include <fmt/core.h>

#include <ostream>

namespace codecrew::app {
namespace {

int failure(std::ostream& err, const std::string& what, const core::Error& e) {
  err << "codecrew: " << what << e.message << "\n";
  return e.code == core::ErrorCode::kInvalidArgument ? 2 : 1;
}

}  // namespace

std::string redactedDatabaseUrl(const std::string& url) {
  std::string out = url;
  const auto scheme = out.find("://");
  if (scheme != std::string::npos) {
    const auto start = scheme + 3;
    const auto at = out.find('@', start);
    const auto slash = out.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const auto colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  for (auto p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
    const auto value = p + 9;
    const auto end = out.find('&', value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

int runMigrateCopy(const MigrateCopyOptions& options, std::ostream& out, std::ostream& err) {
  if (options.from == options.to) {
    err << "codecrew: --from and --to name the same database\n";
    return 2;
  }
  const auto clock = core::SystemClock::instance();
  auto source = store::openMigratedDatabase(options.from, clock, store::IfMissing::kRefuse);
  if (!source.ok()) return failure(err, "the source (--from): ", source.error());
  auto target = store::openMigratedDatabase(options.to, clock, store::IfMissing::kCreate);
  if (!target.ok()) return failure(err, "the target (--to): ", target.error());

  out << "copying " << redactedDatabaseUrl(options.from) << " into " << redactedDatabaseUrl(options.to)
      << " in one transaction\n"
      << std::flush;
  store::sql::CopyOptions copy;
  copy.on_table = [&](const store::sql::TableCopied& t) {
    out << fmt::format("  {:<20} {:>10} {}\n", t.table, t.rows, t.rows == 1 ? "row" : "rows") << std::flush;
  };
  auto report = store::sql::copyDatabase(**source, **target, copy);
  if (!report.ok()) {
    const int code = failure(err, "", report.error());
    err << "codecrew: nothing was copied; the target's rows are as they were\n";
    return code;
  }
  out << fmt::format(
      "copied {} rows in {} tables at schema version {}; every table holds as many rows as the source's, "
      "with the same ids\n",
      report->rows, report->tables.size(), report->schema_version);
  return 0;
}

}  // namespace codecrew::app
