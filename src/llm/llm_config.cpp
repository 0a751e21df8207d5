#include "llm/llm_config.h"

#include "cloud/aws/aws_endpoints.h"
#include "cloud/cloud_detection.h"
#include "core/log.h"
#include "llm/providers/json_util.h"

#include <boost/json.hpp>

#include <set>

namespace codecrew::llm {

namespace bj = boost::json;
using core::Error;
using core::Result;

namespace {

const std::set<std::string> kKinds = {"openai", "azure",      "anthropic",         "gemini", "ollama",
                                      "groq",   "openrouter", "openai_compatible", "bedrock"};

std::string envOr(const core::EnvMap& env, const std::string& name, const std::string& fallback = "") {
  auto it = env.find(name);
  return it == env.end() || it->second.empty() ? fallback : it->second;
}

void addEnvProviders(const core::EnvMap& env, std::vector<ProviderConfig>& out) {
  auto add = [&](const char* name, const char* kind, const char* key_var, std::string base_url) {
    auto key = envOr(env, key_var);
    if (key.empty()) return;
    ProviderConfig p;
    p.name = name;
    p.kind = kind;
    p.base_url = std::move(base_url);
    p.api_key = key;
    p.api_key_source = key_var;
    p.source = "env";
    out.push_back(std::move(p));
  };
  add("openai", "openai", "OPENAI_API_KEY", envOr(env, "OPENAI_BASE_URL", "https://api.openai.com/v1"));
  add("anthropic", "anthropic", "ANTHROPIC_API_KEY", envOr(env, "ANTHROPIC_BASE_URL", "https://api.anthropic.com"));
  add("gemini", "gemini", "GEMINI_API_KEY", "https://generativelanguage.googleapis.com/v1beta");
  add("groq", "groq", "GROQ_API_KEY", "https://api.groq.com/openai/v1");
  add("openrouter", "openrouter", "OPENROUTER_API_KEY", "https://openrouter.ai/api/v1");
  if (auto endpoint = cloud::azureOpenAiEndpoint(env); !endpoint.empty()) {
    add("azure", "azure", "AZURE_OPENAI_API_KEY", endpoint);
    if (!out.empty() && out.back().name == "azure") {
      out.back().deployment = envOr(env, "AZURE_OPENAI_DEPLOYMENT");
      out.back().api_version = envOr(env, "AZURE_OPENAI_API_VERSION", "2024-10-21");
      if (!out.back().deployment.empty()) out.back().models.push_back(out.back().deployment);
    }
  }
  if (auto host = envOr(env, "OLLAMA_HOST"); !host.empty()) {
    if (host.find("://") == std::string::npos) host = "http://" + host;
    if (host.find(':', host.find("://") + 3) == std::string::npos) host += ":11434";
    ProviderConfig p;
    p.name = "ollama";
    p.kind = "ollama";
    p.base_url = host;
    p.source = "env";
    out.push_back(std::move(p));
  }
}

// Bedrock's credentials, region and endpoint. For a provider of the
// environment (`configured` false) missing credentials or region mean no
// provider (false) rather than an error; half a key pair is an error
// either way, naming the variable that is missing.
Result<bool> fillBedrock(ProviderConfig& p, const bj::object* table, const core::EnvMap& env, bool configured) {
  auto credentials = cloud::aws::awsCredentialsFromEnv(env);
  if (!credentials.ok()) {
    if (credentials.error().code == core::ErrorCode::kNotFound && !configured) return false;
    std::string who = configured ? "providers." + p.name + " (kind bedrock): " : "Amazon Bedrock: ";
    return Error::invalidArgument(who + credentials.error().message);
  }
  p.aws = credentials.value();
  p.api_key_source = "AWS_ACCESS_KEY_ID";
  if (table) {
    if (auto region = json::str(*table, "region"); !region.empty()) {
      p.region = region;
      p.region_source = "config";
    }
  }
  if (p.region.empty()) {
    p.region = cloud::aws::awsRegionFromEnv(env);
    p.region_source = cloud::aws::awsRegionSource(env);
  }
  if (p.region.empty()) {
    if (!configured) return false;
    return Error::invalidArgument("providers." + p.name + " (kind bedrock) has no region: set AWS_REGION (or " +
                                  "AWS_DEFAULT_REGION), or providers." + p.name + ".region");
  }
  std::string url = table ? json::str(*table, "base_url") : "";
  if (!url.empty()) {
    p.base_url = url;
    p.base_url_source = "config";
  } else {
    auto endpoint = cloud::aws::awsEndpoint(cloud::aws::AwsService::kBedrockRuntime, p.region, env);
    if (!endpoint.ok()) return endpoint.error();
    p.base_url = endpoint->url;
    p.base_url_source = endpoint->source;
  }
  return true;
}

std::string defaultBaseUrl(const std::string& kind) {
  if (kind == "openai") return "https://api.openai.com/v1";
  if (kind == "anthropic") return "https://api.anthropic.com";
  if (kind == "gemini") return "https://generativelanguage.googleapis.com/v1beta";
  if (kind == "groq") return "https://api.groq.com/openai/v1";
  if (kind == "openrouter") return "https://openrouter.ai/api/v1";
  if (kind == "ollama") return "http://127.0.0.1:11434";
  return "";
}

Result<ProviderConfig> providerFrom(const std::string& name, const bj::object& t, const core::EnvMap& env,
                                    const ProviderConfig* from_env) {
  ProviderConfig p = from_env ? *from_env : ProviderConfig{};
  p.name = name;
  p.source = "config";
  if (auto kind = json::str(t, "kind"); !kind.empty()) p.kind = kind;
  if (p.kind.empty()) p.kind = kKinds.count(name) ? name : "";
  if (!kKinds.count(p.kind))
    return Error::invalidArgument("providers." + name +
                                  ".kind must be one of openai, azure, anthropic, gemini, "
                                  "ollama, groq, openrouter, openai_compatible, bedrock");
  if (p.kind == "bedrock") {
    auto filled = fillBedrock(p, &t, env, true);
    if (!filled.ok()) return filled.error();
  }
  if (auto url = json::str(t, "base_url"); !url.empty() && p.kind != "bedrock") p.base_url = url;
  if (p.base_url.empty()) p.base_url = defaultBaseUrl(p.kind);
  if (p.base_url.empty()) return Error::invalidArgument("providers." + name + ".base_url is required for " + p.kind);
  if (auto var = json::str(t, "api_key_env"); !var.empty() && p.kind != "bedrock") {
    p.api_key = envOr(env, var);
    p.api_key_source = var;
  }
  if (auto key = json::str(t, "api_key"); !key.empty() && p.kind != "bedrock") {
    p.api_key = key;
    p.api_key_source = "config";
  }
  if (auto v = json::str(t, "api_version"); !v.empty()) p.api_version = v;
  if (auto d = json::str(t, "deployment"); !d.empty()) p.deployment = d;
  if (const auto* models = json::arr(t, "models")) {
    p.models.clear();
    for (const auto& m : *models) p.models.push_back(json::str(&m));
  }
  p.rpm = json::i64(t, "rpm");
  p.tpm = json::i64(t, "tpm");
  p.key_rpm = json::i64(t, "key_rpm");
  p.key_tpm = json::i64(t, "key_tpm");
  return p;
}

}  // namespace

const ProviderConfig* LlmConfig::provider(const std::string& name) const {
  for (const auto& p : providers) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::vector<std::string> LlmConfig::secrets() const {
  std::vector<std::string> out;
  for (const auto& p : providers) {
    if (!p.api_key.empty()) out.push_back(p.api_key);
    if (!p.aws.secret_access_key.empty()) out.push_back(p.aws.secret_access_key);
    if (!p.aws.session_token.empty()) out.push_back(p.aws.session_token);
  }
  return out;
}

std::int64_t knownContextWindow(std::string_view model) {
  static constexpr std::pair<std::string_view, std::int64_t> kWindows[] = {
      {"gpt-4.1", 1'047'576}, {"gpt-4o", 128'000},   {"gpt-4-turbo", 128'000}, {"o1", 200'000},
      {"o3", 200'000},        {"o4", 200'000},       {"gpt-4", 8'192},         {"gpt-3.5-turbo", 16'385},
      {"claude", 200'000},    {"gemini", 1'048'576}, {"llama-3", 128'000},
  };
  std::string base = bedrockFoundationModel(model);  // Bedrock: "us.anthropic.claude-..." is "claude-..."
  if (base.starts_with("anthropic.")) base = base.substr(10);
  if (base.starts_with("meta.llama3-1") || base.starts_with("meta.llama3-2") || base.starts_with("meta.llama3-3"))
    return 128'000;
  if (base.starts_with("amazon.nova-micro")) return 128'000;
  if (base.starts_with("amazon.nova-lite") || base.starts_with("amazon.nova-pro")) return 300'000;
  for (const auto& [prefix, window] : kWindows) {
    if (std::string_view(base).starts_with(prefix)) return window;
  }
  return 0;
}

Result<LlmConfig> loadLlmConfig(const bj::object& document, const core::EnvMap& env) {
  LlmConfig config;
  std::vector<ProviderConfig> from_env;
  addEnvProviders(env, from_env);
  {
    ProviderConfig bedrock;
    bedrock.name = "bedrock";
    bedrock.kind = "bedrock";
    bedrock.source = "env";
    auto found = fillBedrock(bedrock, nullptr, env, false);
    if (!found.ok()) return found.error();
    if (found.value()) from_env.push_back(std::move(bedrock));
  }
  const auto* tables = json::obj(document, "providers");
  for (const auto& p : from_env) {
    if (!tables || !tables->contains(p.name)) config.providers.push_back(p);
  }
  if (tables) {
    for (const auto& [name, value] : *tables) {
      const auto* t = value.if_object();
      if (!t) return Error::invalidArgument("providers." + std::string(name) + " must be a table");
      const ProviderConfig* env_match = nullptr;
      for (const auto& p : from_env) {
        if (p.name == name) env_match = &p;
      }
      auto p = providerFrom(std::string(name), *t, env, env_match);
      if (!p.ok()) return p.error();
      config.providers.push_back(std::move(p.value()));
    }
  }
  if (const auto* models = json::obj(document, "models")) {
    for (const auto& [name, value] : *models) {
      const auto* t = value.if_object();
      if (!t) return Error::invalidArgument("models." + std::string(name) + " must be a table");
      ModelConfig m{std::string(name), json::str(*t, "provider"), json::str(*t, "model")};
      if (m.model.empty()) m.model = m.name;
      if (m.provider.empty() || !config.provider(m.provider))
        return Error::invalidArgument("models." + m.name + ".provider must name a configured provider");
      m.context_window = json::i64(*t, "context_window");
      if (m.context_window == 0) m.context_window = knownContextWindow(m.model);
      m.rpm = json::i64(*t, "rpm");
      m.tpm = json::i64(*t, "tpm");
      config.models[m.name] = m;
    }
  }
  config.prices.applyConfig(document);
  if (const auto* llm = json::obj(document, "llm")) {
    if (const auto* patterns = json::arr(*llm, "redact_patterns")) {
      for (const auto& p : *patterns) config.redact_patterns.push_back(json::str(&p));
    }
  }
  for (const auto& secret : config.secrets()) core::log::registerSecret(secret);
  return config;
}

std::vector<std::string> describeProviders(const LlmConfig& config) {
  std::vector<std::string> lines;
  for (const auto& p : config.providers) {
    std::string line = p.name + " (" + p.kind + ") " + p.base_url;
    if (p.kind == "bedrock") {
      if (p.base_url_source != "default" && !p.base_url_source.empty()) line += " (from " + p.base_url_source + ")";
      line += ", region " + p.region + " (from " + p.region_source + "), AWS credentials from AWS_ACCESS_KEY_ID";
      if (!p.aws.session_token.empty()) line += " with AWS_SESSION_TOKEN";
    } else {
      line += p.api_key.empty() ? ", no key" : ", key from " + p.api_key_source;
    }
    if (!p.models.empty()) {
      line += ", models:";
      for (const auto& m : p.models) line += " " + m;
    }
    line += ", from " + p.source;
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace codecrew::llm
