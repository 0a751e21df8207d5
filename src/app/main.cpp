// codecrew: the command line (SPEC §12).
#include "app/commands.h"
#include "app/doctor_command.h"
#include "app/migrate_command.h"
#include "app/replay_command.h"
#include "app/run_command.h"
#include "app/tokens_command.h"
#include "app/tool_command.h"
#include "core/build_info.h"
#include "core/config_schema.h"
#include "core/nearest_name.h"
#include "core/version.h"

#include <CLI/CLI.hpp>

#include <fmt/core.h>

#include <unistd.h>
#include <iostream>

namespace {

void addCommon(CLI::App* cmd, codecrew::app::CommonOptions& common) {
  cmd->add_option("--config", common.config_path, "TOML configuration file (default ./codecrew.toml if present)");
  cmd->add_option("--data-dir", common.data_dir, "directory for the SQLite database and workspaces (default ./var)");
}

// The subcommand argv[1] names when it names none CLI11 knows: CLI11 would
// only say "A subcommand is required".
std::optional<std::string> unknownCommand(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return std::nullopt;
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
  const std::string given = argv[1];
  if (std::find(names.begin(), names.end(), given) != names.end()) return std::nullopt;
  auto near = codecrew::core::nearestName(given, names);
  return "codecrew: unknown command '" + given + "'" + (near ? " (did you mean '" + *near + "'?)" : "") +
         "; `codecrew --help` lists the commands";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace codecrew::app;
  CLI::App app{"codecrew: a self-hosted multi-agent software-engineering backend"};
  app.require_subcommand(1);
  app.set_version_flag("--version", fmt::format("codecrew {} (commit {}, built {})", codecrew::core::kVersion,
                                                codecrew::core::kCommit, codecrew::core::kBuildDate));

  ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve",
                                       "Serve the HTTP API, the web UI and the OpenAI-compatible gateway (/v1)");
  addCommon(serve_cmd, serve.common);
  serve_cmd->add_option(
      "--crews-dir", serve.crews_dir,
      "a directory of user crews (YAML, or CrewAI agents.yaml + tasks.yaml) besides the built-in ones");
  serve_cmd->add_flag("--dev", serve.dev, "no API keys: one built-in tenant, loopback only");
  serve_cmd->add_option("--host", serve.host, "address to bind (default 127.0.0.1)");
  serve_cmd->add_option("--port", serve.port, "port to bind; 0 picks a free one (default 8080)");
  serve_cmd->add_option("--replay", serve.replay, "serve every model call from this cassette (offline demos, tests)");
  serve_cmd->add_flag("--no-engine", serve.no_engine,
                      "API only: executions are stored and queued but this process runs none");

  serve_cmd->add_flag("--no-worker", serve.no_worker,
                      "an API node of a PostgreSQL deployment: executions are queued for `codecrew worker`s, "
                      "none runs here");

  WorkerOptions worker;
  auto* worker_cmd = app.add_subcommand(
      "worker", "Run executions from the shared PostgreSQL database, and nothing else (scale-out; see README)");
  addCommon(worker_cmd, worker.common);
  worker_cmd->add_option("--crews-dir", worker.crews_dir, "a directory of user crews besides the built-in ones");
  worker_cmd->add_option("--replay", worker.replay, "serve every model call from this cassette (offline demos, tests)");

  RunOptions run;
  std::optional<long long> run_resume;
  auto* run_cmd = app.add_subcommand("run", "Run one execution of a crew in the terminal, with live progress");
  run_cmd->add_option("goal", run.goal, "what the crew should build or change");
  run_cmd->add_option("--repo", run.repo, "the repository to work in (created, and made a git repository, if needed)")
      ->required();
  run_cmd->add_option("--crew", run.crew, "crew template or user crew (default sdlc)");
  run_cmd->add_option("--model", run.model, "model for roles without a [roles.*] policy");
  auto* rec = run_cmd->add_option("--record", run.record, "record every model call to this cassette");
  run_cmd->add_option("--replay", run.replay, "serve every model call from this cassette (no network, no key)")
      ->excludes(rec);
  run_cmd->add_option("--config", run.config, "TOML configuration file (default ./codecrew.toml if present)");
  run_cmd->add_option("--data-dir", run.data_dir, "directory for the SQLite database (default ./var)");
  run_cmd->add_option("--crews-dir", run.crews_dir,
                      "a directory of user crews (YAML, or CrewAI agents.yaml + tasks.yaml)");
  run_cmd->add_option("--input", run.inputs, "name=text: fills the {name} placeholders of a CrewAI crew (repeatable)")
      ->allow_extra_args(false);
  run_cmd->add_option("--resume", run_resume, "resume this execution instead of starting one");
  run_cmd->add_flag("--approve-all", run.approve_all, "approve every approval gate as it comes");
  bool no_ask = false;
  run_cmd->add_flag("--no-ask", no_ask, "stop at the first approval gate instead of asking on the terminal");
  run_cmd->footer(
      "At an approval gate, run asks for the decision when standard input is a terminal (approve, reject or\n"
      "request changes), approves with --approve-all, and otherwise stops. Executions run under the dev\n"
      "tenant: `codecrew serve --dev` on the same data directory shows them and can decide their gates.\n"
      "While a model call is in flight, run shows a spinner on a terminal and a line every 15 s otherwise. Ctrl-C\n"
      "stops at once and prints the command that resumes the execution from its last finished step.\n"
      "Exit codes: 0 completed, 1 failed, 2 bad usage or setup, 3 stopped at an approval gate, 4 cancelled,\n"
      "130 interrupted.");

  CommonOptions migrate;
  MigrateCopyOptions migrate_copy;
  auto* migrate_cmd = app.add_subcommand(
      "migrate", "Create or upgrade the database schema, or copy a database into another (--from, --to)");
  addCommon(migrate_cmd, migrate);
  auto* migrate_from = migrate_cmd->add_option("--from", migrate_copy.from,
                                               "copy every row of this database (sqlite:///... or postgresql://...)");
  auto* migrate_to = migrate_cmd->add_option("--to", migrate_copy.to,
                                             "into this one, which must hold no rows (created or migrated first)");
  migrate_from->needs(migrate_to);
  migrate_to->needs(migrate_from);
  migrate_from->excludes(migrate_cmd->get_option("--data-dir"))->excludes(migrate_cmd->get_option("--config"));
  migrate_cmd->footer(
      "Without --from and --to: migrates the configured database (--config, --data-dir, DATABASE_URL).\n"
      "With them: migrates both to this codecrew's schema, then copies every row of every table, ids\n"
      "intact, in one transaction of the target (all or nothing), e.g. to move up from SQLite:\n"
      "  codecrew migrate --from sqlite:////var/lib/codecrew/codecrew.db --to postgresql://codecrew@db/codecrew\n"
      "SQLite URLs read as DATABASE_URL does: sqlite:///relative.db, sqlite:////absolute.db. Stop the\n"
      "servers on the source first: rows written during the copy are not copied.");

  CommonOptions keys_common;
  auto* keys_cmd = app.add_subcommand("keys", "Manage API keys");
  keys_cmd->require_subcommand(1);
  std::string tenant, role = "member", name;
  auto* create = keys_cmd->add_subcommand("create", "Create a key; it is printed once");
  addCommon(create, keys_common);
  create->add_option("--tenant", tenant, "tenant name (created if missing)")->required();
  create->add_option("--role", role, "admin, member or viewer")->check(CLI::IsMember({"admin", "member", "viewer"}));
  create->add_option("--name", name, "a label for the key");
  std::optional<std::string> list_tenant;
  auto* list = keys_cmd->add_subcommand("list", "List keys (never the secrets)");
  addCommon(list, keys_common);
  list->add_option("--tenant", list_tenant, "only this tenant's keys");
  long long key_id = 0;
  auto* revoke = keys_cmd->add_subcommand("revoke", "Revoke a key by id");
  addCommon(revoke, keys_common);
  revoke->add_option("id", key_id, "key id (from keys list)")->required();

  TokensCountOptions tokens;
  auto* tokens_cmd = app.add_subcommand("tokens", "Count tokens as the models' tokenizers do");
  tokens_cmd->require_subcommand(1);
  auto* count = tokens_cmd->add_subcommand("count", "Print the token count of a file or standard input");
  auto* enc = count->add_option("--encoding", tokens.encoding, "cl100k_base or o200k_base");
  count->add_option("--model", tokens.model, "a model name (its encoding, or an estimate if unknown)")->excludes(enc);
  count->add_option("--ranks-dir", tokens.ranks_dir, "folder of the .tiktoken rank files");
  count->add_option("file", tokens.input, "a file, or - for standard input (default)");

  std::string tool_name, tool_workspace = ".", tool_args = "{}";
  auto* tool_cmd = app.add_subcommand("tool", "Run one agent tool (`tool list` lists them)");
  tool_cmd->add_option("name", tool_name, "tool name, or list")->required();
  tool_cmd->add_option("--workspace", tool_workspace, "workspace root (default .)");
  tool_cmd->add_option("args", tool_args, "the tool's arguments as a JSON object (default {})");

  std::optional<std::string> config_file;
  auto* config_cmd = app.add_subcommand("config", "Show or check the configuration");
  config_cmd->require_subcommand(1);
  auto* config_example =
      config_cmd->add_subcommand("example", "Print a commented codecrew.toml with every table and key and its default");
  auto* config_check = config_cmd->add_subcommand("check",
                                                  "Read the configuration as serve would and report the first problem");
  config_check->add_option("--config", config_file, "TOML configuration file (default ./codecrew.toml if present)");

  std::string cassette;
  auto* replay_cmd = app.add_subcommand("replay", "Summarise a cassette's recorded calls");
  replay_cmd->add_option("cassette", cassette, "a cassette (.jsonl) file")->required();

  std::optional<std::string> doctor_config;
  auto* doctor_cmd = app.add_subcommand(
      "doctor", "Show which provider and model each crew role will use, and which keys were found or are missing");
  doctor_cmd->add_option("--config", doctor_config, "TOML configuration file (default ./codecrew.toml if present)");

  if (auto unknown = unknownCommand(app, argc, argv)) {
    std::cerr << *unknown << "\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  if (*serve_cmd) return runServe(serve);
  if (*worker_cmd) return runWorker(worker);
  if (*run_cmd) {
    if (run_resume) run.resume = *run_resume;
    run.ask = !run.approve_all && !no_ask && ::isatty(STDIN_FILENO);
    run.terminal = ::isatty(STDOUT_FILENO);
    return runCrewCommand(run, std::cin, std::cout, std::cerr);
  }
  if (*migrate_cmd) {
    if (*migrate_from) return runMigrateCopy(migrate_copy, std::cout, std::cerr);
    return runMigrate(migrate);
  }
  if (*create) return runKeysCreate(keys_common, tenant, role, name);
  if (*list) return runKeysList(keys_common, list_tenant);
  if (*revoke) return runKeysRevoke(keys_common, key_id);
  if (*count) return runTokensCount(tokens, std::cin, std::cout, std::cerr);
  if (*tool_cmd) return runToolCommand(tool_name, tool_workspace, tool_args, std::cout, std::cerr);
  if (*config_example) {
    std::cout << codecrew::core::renderExampleConfig();
    return 0;
  }
  if (*config_check) return runConfigCheck(config_file, std::cout, std::cerr);
  if (*replay_cmd) return runReplayCommand(cassette, std::cout, std::cerr);
  if (*doctor_cmd) return runDoctorCommand(doctor_config, codecrew::core::processEnv(), std::cout, std::cerr);
  return 2;
}
