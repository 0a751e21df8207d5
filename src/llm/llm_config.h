// LlmConfig: which providers and models this installation has, read from the
// configuration document (TOML [providers.<name>], [models.<name>],
// [roles.<name>], [llm]) and from the variables users already set:
// OPENAI_API_KEY (+OPENAI_BASE_URL), ANTHROPIC_API_KEY (+ANTHROPIC_BASE_URL),
// GEMINI_API_KEY, GROQ_API_KEY, OPENROUTER_API_KEY, AZURE_OPENAI_API_KEY
// (+AZURE_OPENAI_ENDPOINT or AZURE_OPENAI_RESOURCE_NAME, AZURE_OPENAI_DEPLOYMENT,
// AZURE_OPENAI_API_VERSION)
// and OLLAMA_HOST; Amazon Bedrock (provider "bedrock") when AWS credentials
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) and a region
// (AWS_REGION or AWS_DEFAULT_REGION) are set, at AWS_ENDPOINT_URL_BEDROCK_RUNTIME
// or AWS_ENDPOINT_URL if set. A [providers.<name>] table overrides the
// provider of the same name found in the environment.
//
//   [providers.openai]   kind = "openai", api_key_env = "OPENAI_API_KEY",
//                        base_url = "...", models = ["gpt-4o"], rpm = 500, tpm = 30000,
//                        key_rpm = ..., key_tpm = ...
//   [providers.aws]      kind = "bedrock", region = "eu-west-1" (else AWS_REGION),
//                        base_url = "..." (else the AWS endpoint variables, else
//                        https://bedrock-runtime.<region>.amazonaws.com); the
//                        credentials always come from the AWS variables
//   [models.smart]       provider = "openai", model = "gpt-4o", context_window = 128000,
//                        input_per_mtok = 2.5, output_per_mtok = 10, rpm = 100, tpm = 20000
//   [llm]                redact_patterns = ["ghp_[A-Za-z0-9]{36}"]
//
// Every API key found (and an AWS secret key and session token) is
// registered with core::log::registerSecret.
// Thread-safety: a plain value.
#pragma once

#include "cloud/aws/aws_credentials.h"
#include "core/config.h"
#include "core/result.h"
#include "llm/pricing/price_table.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::llm {

struct ProviderConfig {
  std::string name;
  std::string kind;  // openai, azure, anthropic, gemini, ollama, groq, openrouter, openai_compatible, bedrock
  std::string base_url;
  std::string api_key;
  std::string api_key_source;  // the variable or "config" the key came from ("" if none)
  std::string api_version;
  std::string deployment;
  std::vector<std::string> models;
  std::string source;                     // "config" or "env"
  std::int64_t rpm = 0, tpm = 0;          // provider-wide limits (0: none)
  std::int64_t key_rpm = 0, key_tpm = 0;  // limits of its API key, shared by every provider using it
  // bedrock: the AWS credentials and region that sign its calls.
  cloud::aws::AwsCredentials aws;
  std::string region;
  std::string region_source;    // "AWS_REGION", "AWS_DEFAULT_REGION" or "config"
  std::string base_url_source;  // bedrock: the endpoint variable, "config" or "default"
};

struct ModelConfig {
  std::string name;                 // what policies refer to
  std::string provider;             // provider name
  std::string model;                // the provider's model id
  std::int64_t context_window = 0;  // 0: unknown
  std::int64_t rpm = 0, tpm = 0;
};

struct LlmConfig {
  std::vector<ProviderConfig> providers;
  std::map<std::string, ModelConfig> models;
  PriceTable prices = PriceTable::builtIn();
  std::vector<std::string> redact_patterns;

  const ProviderConfig* provider(const std::string& name) const;
  // Every configured API key (and AWS secret and session token), for redaction.
  std::vector<std::string> secrets() const;
};

// Reads the configuration; kInvalidArgument names the key at fault.
core::Result<LlmConfig> loadLlmConfig(const boost::json::object& document, const core::EnvMap& env);

// One line per provider found, for the server's start-up message:
// "openai (openai) https://api.openai.com/v1, key from OPENAI_API_KEY, from env".
std::vector<std::string> describeProviders(const LlmConfig& config);

// The context window of well-known models (by prefix); 0 when unknown.
std::int64_t knownContextWindow(std::string_view model);

}  // namespace codecrew::llm
