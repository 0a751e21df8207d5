#include "core/config_schema.h"

#include "core/nearest_name.h"

#include <array>
#include <sstream>
#include <vector>

namespace codecrew::core {
namespace {

namespace bj = boost::json;

constexpr std::array kTables = {
    ConfigTable{"server", "The HTTP server: address, limits, threads."},
    ConfigTable{"storage", "Where data lives. SQLite by default; PostgreSQL with a postgresql:// URL."},
    ConfigTable{"artifacts",
                "Where artifacts (and archives of finished workspaces) are stored: the local disk, S3 or Azure Blob "
                "Storage. Credentials come from the environment (AWS_*, AZURE_STORAGE_*), never from this file."},
    ConfigTable{"log", "Logging."},
    ConfigTable{"queue", "The durable job queue's heartbeats (crash recovery)."},
    ConfigTable{"metrics",
                "GET /metrics (Prometheus text format): on the API's address behind an admin key unless public, "
                "and/or on a listener of its own (a worker's)."},
    ConfigTable{"security", "Redaction of secrets in logs, prompts and recordings."},
    ConfigTable{"engine", "The workflow engine."},
    ConfigTable{"repositories", "Which repositories a workflow's repository_url may name."},
    ConfigTable{"semantic",
                "Semantic code context: a per-repository index of chunks (HNSW over embeddings, or BM25 without "
                "an embedding model), the semantic_search tool and retrieved context in agents' prompts."},
    ConfigTable{"github",
                "GitHub (or GitHub Enterprise): clones, pushes, pull requests, checks and the loop that answers "
                "them."},
    ConfigTable{"github.tenants.*",
                "One tenant's GitHub: the owners whose repositories its workflows may name, in place of [github] "
                "owners.",
                "acme"},
    ConfigTable{"crewcode", "CrewCode sessions (seed 000) and crews answering as models on /v1."},
    ConfigTable{"jira",
                "Jira stories as workflows (POST /workflows/from-jira/{story_id}). Each JIRA_* variable may also "
                "be spelt NEGISHI_JIRA_*, which wins."},
    ConfigTable{"tokenizer", "Token counting."},
    ConfigTable{"llm", "The LLM layer."},
    ConfigTable{"gateway", "The OpenAI-compatible gateway (/v1): default limits per API key, call recording."},
    ConfigTable{"gateway.keys.*", "Limits for one API key, by its prefix (as `codecrew keys list` shows it).",
                "cc_1a2b3c4d"},
    ConfigTable{"providers.*",
                "A model provider. Providers are also found from the environment (OPENAI_API_KEY, "
                "ANTHROPIC_API_KEY, GEMINI_API_KEY, GROQ_API_KEY, OPENROUTER_API_KEY, AZURE_OPENAI_API_KEY with "
                "AZURE_OPENAI_ENDPOINT, OLLAMA_HOST, AWS_ACCESS_KEY_ID with AWS_SECRET_ACCESS_KEY and AWS_REGION for "
                "Amazon Bedrock); a table of the same name refines the one found.",
                "openai"},
    ConfigTable{"models.*", "A model name crews and clients may use, its provider, limits and price.", "gpt-4o"},
    ConfigTable{"pricing.*", "A price for a model (per million tokens), over the built-in price table.", "my-finetune"},
    ConfigTable{"roles.*", "How one agent role picks its model: primary, fallbacks, cost and latency limits, retries.",
                "developer"},
};

constexpr std::array kKeys = {
    ConfigKey{"server", "host", "string", "\"127.0.0.1\"", "CODECREW_HOST", "address to bind"},
    ConfigKey{"server", "port", "integer", "8080", "CODECREW_PORT", "port to bind; 0 picks a free one"},
    ConfigKey{"server", "max_body_bytes", "integer", "1048576", "", "larger request bodies get 413"},
    ConfigKey{"server", "threads", "integer", "0", "", "I/O threads; 0 means one per core"},
    ConfigKey{"server", "blocking_threads", "integer", "0", "", "handler and database threads; 0 means two per core"},
    ConfigKey{"server", "shutdown_grace_seconds", "integer", "20", "",
              "how long requests in flight may finish after SIGTERM"},
    ConfigKey{"server", "auth_cache_seconds", "integer", "2", "",
              "API keys are cached this long: a revoked key works at most this long after; 0 turns it off"},
    ConfigKey{"server", "max_connections", "integer", "0", "",
              "connections served at once; 0: the open-file limit less a quarter (at least 128 kept back)"},
    ConfigKey{"server", "rest_rate_per_minute", "integer", "6000", "",
              "REST requests per API key per minute (429 past it); 0: no limit"},
    ConfigKey{"server", "public_url", "string", "\"\"", "CODECREW_PUBLIC_URL",
              "the address people reach this server's web UI at, for links in pull requests"},
    ConfigKey{"server", "cors_origins", "array", "[]", "", "origins allowed by CORS; empty sends no CORS headers"},
    ConfigKey{"server", "web_dir", "string", "", "CODECREW_WEB_DIR",
              "the built web UI (default: the build's web/dist)"},
    ConfigKey{"storage", "data_dir", "string", "\"./var\"", "CODECREW_DATA_DIR",
              "the SQLite database, workspaces and recordings"},
    ConfigKey{"storage", "database_url", "string", "", "DATABASE_URL",
              "sqlite:///relative.db, sqlite:////absolute.db or postgresql://user@host/db; "
              "empty: <data_dir>/codecrew.db"},
    ConfigKey{"storage", "max_connections", "integer", "10", "DATABASE_MAX_CONNECTIONS",
              "PostgreSQL: the most connections one codecrew process opens (API node or worker)"},
    ConfigKey{"artifacts", "store", "string", "\"local\"", "CODECREW_ARTIFACTS_STORE",
              "local (files under <data_dir>/artifacts), s3 or azure"},
    ConfigKey{"artifacts", "bucket", "string", "", "CODECREW_ARTIFACTS_BUCKET",
              "the S3 bucket or Azure container (required for s3 and azure)"},
    ConfigKey{"artifacts", "prefix", "string", "\"\"", "CODECREW_ARTIFACTS_PREFIX",
              "S3 and Azure: prepended to every object's key (e.g. \"codecrew/\")"},
    ConfigKey{"artifacts", "region", "string", "", "CODECREW_ARTIFACTS_REGION",
              "S3: the bucket's region; empty: AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1"},
    ConfigKey{"artifacts", "endpoint", "string", "", "CODECREW_ARTIFACTS_ENDPOINT",
              "S3: a custom endpoint for S3-compatible stores (else AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL); Azure: "
              "the Blob endpoint (else AZURE_STORAGE_BLOB_ENDPOINT, else https://<account>.blob.core.windows.net)"},
    ConfigKey{"artifacts", "path_style", "boolean", "false", "CODECREW_ARTIFACTS_PATH_STYLE",
              "S3: path-style URLs (endpoint/bucket/key) instead of virtual-hosted; always with a custom endpoint"},
    ConfigKey{"artifacts", "archive_workspaces", "boolean", "false", "CODECREW_ARTIFACTS_ARCHIVE_WORKSPACES",
              "store a finished execution's workspace as workspace.tar.gz beside its artifacts"},
    ConfigKey{"log", "level", "string", "\"info\"", "CODECREW_LOG_LEVEL", "trace, debug, info, warn or error"},
    ConfigKey{"log", "format", "string", "\"json\"", "CODECREW_LOG_FORMAT", "json or text"},
    ConfigKey{"log", "file", "string", "", "", "log file; empty: standard error"},
    ConfigKey{"queue", "heartbeat_interval_seconds", "integer", "15", "HEARTBEAT_INTERVAL_SECONDS",
              "how often a running job proves it is alive"},
    ConfigKey{"queue", "heartbeat_timeout_seconds", "integer", "120", "HEARTBEAT_TIMEOUT_SECONDS",
              "a job silent this long is taken over by another worker"},
    ConfigKey{"metrics", "public", "boolean", "false", "CODECREW_METRICS_PUBLIC",
              "serve /metrics on the API's address without a key (else an admin key is needed)"},
    ConfigKey{"metrics", "listen", "string", "", "CODECREW_METRICS_LISTEN",
              "host:port of a listener serving /metrics, /healthz and /readyz without keys (e.g. "
              "\"127.0.0.1:9464\"); empty: none"},
    ConfigKey{"security", "redact_secrets", "boolean", "true", "AI_TEAM_REDACT_SENSITIVE",
              "redact keys and tokens from logs and stored prompts (AI_TEAM_REDACT_SENSITIVE=0 turns it off)"},
    ConfigKey{"engine", "default_model", "string", "", "CODECREW_MODEL",
              "model for roles without a [roles.*] primary; empty: the provider's default for the role"},
    ConfigKey{"engine", "crews_dir", "string", "", "CODECREW_CREWS_DIR",
              "a directory of user crews (codecrew YAML, or CrewAI agents.yaml + tasks.yaml)"},
    ConfigKey{"engine", "max_running", "integer", "64", "", "executions run at once by this process"},
    ConfigKey{"engine", "sandbox", "string", "\"bubblewrap\"", "",
              "\"bubblewrap\" runs commands in a sandbox; \"none\" runs them directly (trusted machines only)"},
    ConfigKey{"repositories", "local_roots", "array", "[]", "CODECREW_REPOSITORY_ROOTS",
              "directories whose git repositories workflows may use (the variable is a : separated list)"},
    ConfigKey{"repositories", "remote_hosts", "array", "[]", "",
              "more https:// git hosts repositories may be cloned from (anonymously, no pull requests)"},
    ConfigKey{"semantic", "enabled", "boolean", "true", "",
              "index repositories under <data_dir>/index and offer semantic_search and retrieved context"},
    ConfigKey{"semantic", "embedding_model", "string", "\"\"", "",
              "embedding model of an OpenAI, Azure, Gemini or Ollama provider; empty: BM25 ranking only"},
    ConfigKey{"semantic", "dimensions", "integer", "0", "",
              "vector length asked of models that can shorten theirs; 0: the model's own"},
    ConfigKey{"semantic", "batch", "integer", "64", "", "chunks per embeddings call"},
    ConfigKey{"semantic", "chunk_tokens", "integer", "400", "", "the most tokens of one chunk"},
    ConfigKey{"semantic", "context", "boolean", "true", "",
              "add the repository map and the chunks relevant to the task to an agent step's first prompt"},
    ConfigKey{"semantic", "context_share", "number", "0.05", "",
              "the share of the step's model context window that retrieved context may take (0 to 0.5)"},
    ConfigKey{"semantic", "context_max_tokens", "integer", "4096", "", "the most tokens retrieved context may take"},
    ConfigKey{"github", "api_url", "string", "\"https://api.github.com\"", "GITHUB_API_URL",
              "the REST API (GitHub Enterprise: https://HOST/api/v3)"},
    ConfigKey{"github", "web_url", "string", "\"https://github.com\"", "GITHUB_SERVER_URL",
              "repositories under it are cloned with the token and get pull requests"},
    ConfigKey{"github", "token", "string", "\"\"", "GITHUB_TOKEN",
              "clones, pushes and API calls (needs contents and pull requests write; workflow to change "
              ".github/workflows/)"},
    ConfigKey{"github", "owners", "array", "[]", "GITHUB_OWNERS",
              "the owners (users, organisations) whose repositories workflows may name; empty: any the token can "
              "see (the variable is comma-separated)"},
    ConfigKey{"github.tenants.*", "owners", "array", "[]", "",
              "the owners whose repositories this tenant's workflows may name"},
    ConfigKey{"github", "draft", "boolean", "true", "", "open pull requests as drafts"},
    ConfigKey{"github", "deliver_stage", "string", "\"DEPLOY\"", "",
              "the stage whose start pushes the branch and opens the pull request (crews without it: the end)"},
    ConfigKey{"github", "max_fix_attempts", "integer", "3", "",
              "follow-ups (fixes of failed checks, answers to reviews) before a person is asked"},
    ConfigKey{"github", "webhook_secret", "string", "", "GITHUB_WEBHOOK_SECRET",
              "the webhook's secret: deliveries must carry its X-Hub-Signature-256; empty: the webhook answers 503"},
    ConfigKey{"github", "mention", "string", "\"@codecrew\"", "",
              "a pull request comment that mentions this asks the crew for changes"},
    ConfigKey{"crewcode", "session_ttl_seconds", "integer", "86400", "CODECREW_SESSION_TTL_SECONDS",
              "idle time before a session expires"},
    ConfigKey{"crewcode", "run_timeout_seconds", "integer", "300", "CODECREW_CREWCODE_TIMEOUT_SECONDS",
              "how long a request waits for its crew"},
    ConfigKey{"crewcode", "max_file_bytes", "integer", "1048576", "", "largest file of a session"},
    ConfigKey{"crewcode", "max_session_bytes", "integer", "8388608", "", "all files of a session"},
    ConfigKey{"crewcode", "max_session_files", "integer", "500", "", "files in a session"},
    ConfigKey{"jira", "base_url", "string", "", "JIRA_BASE_URL", "your site, e.g. https://your-domain.atlassian.net"},
    ConfigKey{"jira", "email", "string", "", "JIRA_EMAIL", "the Atlassian account of the API token"},
    ConfigKey{"jira", "api_token", "string", "", "JIRA_API_TOKEN",
              "an API token of that account (sent as basic auth; prefer the variable)"},
    ConfigKey{"jira", "api_version", "string", "\"3\"", "JIRA_API_VERSION",
              "the REST API version: 3 (rich text as ADF, rendered to Markdown), 2 or latest"},
    ConfigKey{"jira", "criteria_field", "string", "\"Acceptance Criteria\"", "JIRA_CRITERIA_FIELD",
              "the acceptance criteria's field: its name (any case) or id (customfield_10010); \"\" for none"},
    ConfigKey{"jira", "timeout_seconds", "integer", "30", "JIRA_TIMEOUT_SECONDS", "one request to Jira, 1 to 600"},
    ConfigKey{"tokenizer", "ranks_dir", "string", "", "",
              "folder of the .tiktoken rank files (default: share/tiktoken beside the binary)"},
    ConfigKey{"llm", "redact_patterns", "array", "[]", "", "extra regular expressions redacted from prompts and logs"},
    ConfigKey{"gateway", "rpm", "integer", "0", "", "requests per minute per API key; 0: no limit"},
    ConfigKey{"gateway", "tpm", "integer", "0", "", "tokens per minute per API key; 0: no limit"},
    ConfigKey{"gateway", "daily_tokens", "integer", "0", "", "tokens per UTC day per API key; 0: no limit"},
    ConfigKey{"gateway", "monthly_tokens", "integer", "0", "", "tokens per UTC month per API key; 0: no limit"},
    ConfigKey{"gateway", "daily_cost", "number", "0", "", "USD per UTC day per API key; 0: no limit"},
    ConfigKey{"gateway", "monthly_cost", "number", "0", "", "USD per UTC month per API key; 0: no limit"},
    ConfigKey{"gateway", "role", "string", "\"gateway\"", "", "the [roles.*] policy /v1 calls are routed by"},
    ConfigKey{"gateway", "batch_size", "integer", "256", "", "recorded calls written per transaction"},
    ConfigKey{"gateway", "queue_capacity", "integer", "10000", "", "calls queued for recording before callers wait"},
    ConfigKey{"gateway", "flush_interval_ms", "integer", "50", "", "longest a call waits to be recorded"},
    ConfigKey{"gateway", "responses_kept", "integer", "1000", "",
              "/v1/responses answers kept for previous_response_id (per server, oldest forgotten first); 0 keeps none"},
    ConfigKey{"gateway", "responses_memory_mb", "integer", "64", "", "memory the kept responses may use"},
    ConfigKey{"gateway", "discover_models", "boolean", "true", "",
              "GET /v1/models also lists what each provider's own model list returns (cached 5 minutes)"},
    ConfigKey{"gateway.keys.*", "rpm", "integer", "600", "", "as gateway.rpm, for this key"},
    ConfigKey{"gateway.keys.*", "tpm", "integer", "200000", "", "as gateway.tpm, for this key"},
    ConfigKey{"gateway.keys.*", "daily_tokens", "integer", "5000000", "", "as gateway.daily_tokens, for this key"},
    ConfigKey{"gateway.keys.*", "monthly_tokens", "integer", "100000000", "",
              "as gateway.monthly_tokens, for this key"},
    ConfigKey{"gateway.keys.*", "daily_cost", "number", "20.0", "", "as gateway.daily_cost, for this key"},
    ConfigKey{"gateway.keys.*", "monthly_cost", "number", "300.0", "", "as gateway.monthly_cost, for this key"},
    ConfigKey{"providers.*", "kind", "string", "\"openai\"", "",
              "openai, azure, anthropic, gemini, ollama, groq, openrouter, openai_compatible or bedrock "
              "(default: the table's name when it is one of these)"},
    ConfigKey{"providers.*", "base_url", "string", "\"https://api.openai.com/v1\"", "",
              "the API's base URL (default: the kind's public one)"},
    ConfigKey{"providers.*", "api_key_env", "string", "\"OPENAI_API_KEY\"", "",
              "read the key from this environment variable"},
    ConfigKey{"providers.*", "api_key", "string", "\"sk-...\"", "", "the key itself (prefer api_key_env)"},
    ConfigKey{"providers.*", "api_version", "string", "\"2024-10-21\"", "", "Azure: the api-version query parameter"},
    ConfigKey{"providers.*", "deployment", "string", "\"my-gpt-4o\"", "", "Azure: the deployment to call"},
    ConfigKey{"providers.*", "region", "string", "\"us-east-1\"", "",
              "Bedrock: the AWS region (default: AWS_REGION, then AWS_DEFAULT_REGION); the credentials come from "
              "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN"},
    ConfigKey{"providers.*", "models", "array", "[\"gpt-4o\", \"gpt-4o-mini\"]", "",
              "models this provider serves (listed on /v1/models)"},
    ConfigKey{"providers.*", "rpm", "integer", "0", "", "requests per minute to this provider; 0: no limit"},
    ConfigKey{"providers.*", "tpm", "integer", "0", "", "tokens per minute to this provider; 0: no limit"},
    ConfigKey{"providers.*", "key_rpm", "integer", "0", "", "requests per minute per API key to this provider"},
    ConfigKey{"providers.*", "key_tpm", "integer", "0", "", "tokens per minute per API key to this provider"},
    ConfigKey{"models.*", "provider", "string", "\"openai\"", "", "the [providers.*] table that serves it (required)"},
    ConfigKey{"models.*", "model", "string", "\"gpt-4o\"", "",
              "the provider's name for it (default: the table's name)"},
    ConfigKey{"models.*", "context_window", "integer", "128000", "", "tokens (default: known per model family)"},
    ConfigKey{"models.*", "rpm", "integer", "0", "", "requests per minute to this model"},
    ConfigKey{"models.*", "tpm", "integer", "0", "", "tokens per minute to this model"},
    ConfigKey{"models.*", "input_per_mtok", "number", "2.5", "", "USD per million input tokens"},
    ConfigKey{"models.*", "output_per_mtok", "number", "10.0", "", "USD per million output tokens"},
    ConfigKey{"models.*", "cached_input_per_mtok", "number", "1.25", "", "USD per million cached input tokens"},
    ConfigKey{"pricing.*", "model", "string", "\"my-finetune\"", "", "the model priced (default: the table's name)"},
    ConfigKey{"pricing.*", "input_per_mtok", "number", "3.0", "", "USD per million input tokens"},
    ConfigKey{"pricing.*", "output_per_mtok", "number", "12.0", "", "USD per million output tokens"},
    ConfigKey{"pricing.*", "cached_input_per_mtok", "number", "1.5", "", "USD per million cached input tokens"},
    ConfigKey{"roles.*", "primary", "string", "\"gpt-4o\"", "", "the model tried first"},
    ConfigKey{"roles.*", "fallbacks", "array", "[\"claude-sonnet-4-5\"]", "",
              "models tried in order when the primary fails"},
    ConfigKey{"roles.*", "max_cost", "number", "0.5", "", "USD: models whose estimated call costs more are skipped"},
    ConfigKey{"roles.*", "max_latency_ms", "integer", "120000", "", "a slower call is abandoned for the next model"},
    ConfigKey{"roles.*", "max_attempts", "integer", "3", "", "attempts per model before falling back"},
};

bool isWildcard(std::string_view table) { return table.size() > 2 && table.substr(table.size() - 2) == ".*"; }

std::vector<std::string> keysOf(std::string_view table) {
  std::vector<std::string> out;
  for (const auto& k : kKeys)
    if (k.table == table) out.emplace_back(k.key);
  return out;
}

std::string suggestion(std::string_view name, const std::vector<std::string>& known, std::string_view prefix) {
  auto near = nearestName(name, known);
  return near ? " (did you mean " + std::string(prefix) + *near + "?)" : "";
}

Error unknown(const std::string& what, const std::string& tip) {
  return Error::invalidArgument("unknown " + what + " in the configuration" + tip +
                                "; codecrew.toml.example lists every table and key");
}

// Checks the keys of one table (`schema_name` in the schema, `path` as the user wrote it).
Status checkTable(const bj::object& table, std::string_view schema_name, const std::string& path) {
  const auto known = keysOf(schema_name);
  // Tables nested under this one (gateway.keys) are checked as tables of their own.
  std::vector<std::string> subtables;
  const std::string nested_prefix = std::string(schema_name) + ".";
  for (const auto& t : kTables) {
    if (t.name.substr(0, nested_prefix.size()) != nested_prefix) continue;
    auto rest = t.name.substr(nested_prefix.size());
    subtables.emplace_back(rest.substr(0, rest.find('.')));
  }
  for (const auto& [key, value] : table) {
    const std::string name(key);
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    if (std::find(subtables.begin(), subtables.end(), name) != subtables.end()) {
      const std::string sub = nested_prefix + name + ".*";
      if (!value.is_object()) return Error::invalidArgument("configuration " + path + "." + name + " must be a table");
      for (const auto& [child, child_value] : value.as_object()) {
        const std::string child_path = path + "." + name + "." + std::string(child);
        if (!child_value.is_object()) return Error::invalidArgument("configuration " + child_path + " must be a table");
        if (auto st = checkTable(child_value.as_object(), sub, child_path); !st) return st;
      }
      continue;
    }
    std::vector<std::string> candidates = known;
    candidates.insert(candidates.end(), subtables.begin(), subtables.end());
    return unknown("key " + path + "." + name, suggestion(name, candidates, path + "."));
  }
  return okStatus();
}

}  // namespace

std::span<const ConfigTable> configTables() { return kTables; }

std::span<const ConfigKey> configKeys() { return kKeys; }

Status checkKnownKeys(const bj::object& document) {
  std::vector<std::string> top;
  for (const auto& t : kTables)
    if (t.name.find('.') == std::string_view::npos || isWildcard(t.name)) {
      auto head = std::string(t.name.substr(0, t.name.find('.')));
      if (std::find(top.begin(), top.end(), head) == top.end()) top.push_back(head);
    }
  for (const auto& [key, value] : document) {
    const std::string name(key);
    if (std::find(top.begin(), top.end(), name) == top.end())
      return unknown("table [" + name + "]", [&] {
        auto near = nearestName(name, top);
        return near ? " (did you mean [" + *near + "]?)" : std::string();
      }());
    if (!value.is_object())
      return Error::invalidArgument("configuration " + name + " must be a table ([" + name + "])");
    const std::string wildcard = name + ".*";
    const bool named_tables = std::any_of(kTables.begin(), kTables.end(),
                                          [&](const ConfigTable& t) { return t.name == wildcard; });
    if (!named_tables) {
      if (auto st = checkTable(value.as_object(), name, name); !st) return st;
      continue;
    }
    for (const auto& [child, child_value] : value.as_object()) {
      const std::string path = name + "." + std::string(child);
      if (!child_value.is_object())
        return Error::invalidArgument("configuration " + path + " must be a table ([" + path + "])");
      if (auto st = checkTable(child_value.as_object(), wildcard, path); !st) return st;
    }
  }
  return okStatus();
}

std::string renderExampleConfig() {
  std::ostringstream out;
  out << "# codecrew.toml: every setting codecrew reads, with its default.\n"
         "# Copy to codecrew.toml (or pass --config FILE) and uncomment what you change.\n"
         "# Environment variables named beside a key override the file. An unknown table\n"
         "# or key is an error at start. Generated by `codecrew config example`.\n";
  for (const auto& table : kTables) {
    std::string header(table.name);
    if (isWildcard(table.name)) header = header.substr(0, header.size() - 1) + std::string(table.example_name);
    out << "\n# " << table.doc << "\n";
    out << "# [" << header << "]\n";
    for (const auto& k : kKeys) {
      if (k.table != table.name) continue;
      out << "#   " << k.doc;
      if (!k.env.empty()) out << " (env " << k.env << ")";
      out << "\n";
      out << "# " << k.key << " = " << (k.default_value.empty() ? std::string_view("\"\"") : k.default_value) << "\n";
    }
  }
  return out.str();
}

}  // namespace codecrew::core
