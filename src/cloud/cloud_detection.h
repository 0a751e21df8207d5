// Cloud detection (seed 001's cloud-provider abstraction, SPEC §8): which
// cloud a configuration means and what that resolves to for codecrew: the
// LLM (Azure OpenAI or Amazon Bedrock) and artifact storage (Azure Blob
// Storage or Amazon S3).
//
// CLOUD_PROVIDER=azure|aws chooses; without it the variables present decide
// (Azure's AZURE_*; AWS's AWS_ACCESS_KEY_ID, AWS_REGION, ...); both clouds'
// variables and no CLOUD_PROVIDER is reported as ambiguous. The seed's
// variable names are read as they are; those codecrew has no use for
// (AZURE_SEARCH_SERVICE_NAME, AWS_OPENSEARCH_DOMAIN, ...) are listed as such.
//
// A problem names its variable. A fatal problem is one the server cannot
// start with: a malformed value of a variable codecrew uses, an unknown
// CLOUD_PROVIDER, or a service the explicitly chosen cloud cannot reach
// because a variable is missing. Inferred clouds only warn.
// Never holds a secret's value: credentials are named by their variable.
// Thread-safety: pure functions and plain values.
#pragma once

#include "core/config.h"
#include "core/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace codecrew::cloud {

enum class CloudKind { kNone, kAzure, kAws };
std::string_view cloudName(CloudKind kind);  // "none", "azure", "aws"

// One service a cloud resolves to.
struct CloudService {
  std::string role;         // "llm" or "storage"
  std::string name;         // "Azure OpenAI", "Amazon Bedrock", "Azure Blob Storage", "Amazon S3"
  std::string endpoint;     // "" when it cannot be resolved
  std::string credentials;  // where they come from: "AZURE_OPENAI_API_KEY", "" when missing
  bool usable = false;      // endpoint and credentials both resolved
};

struct CloudProblem {
  std::string variable;  // the variable at fault (or missing)
  std::string message;   // what is wrong and what to do, naming the variable
  bool fatal = false;
};

struct CloudDetection {
  CloudKind kind = CloudKind::kNone;
  std::string chosen_by;  // "CLOUD_PROVIDER=aws", or the variables that decided
  bool explicit_choice = false;
  std::vector<std::string> present;  // the cloud variables set (names only), sorted
  std::vector<CloudService> services;
  std::vector<std::string> unused;  // variables set that codecrew reads but has no use for
  std::vector<CloudProblem> problems;

  // kInvalidArgument with every fatal problem's message, else OK.
  core::Status status() const;
};

CloudDetection detectCloud(const core::EnvMap& env);

// Azure OpenAI's endpoint: AZURE_OPENAI_ENDPOINT, else
// https://<AZURE_OPENAI_RESOURCE_NAME>.openai.azure.com/; "" when neither.
std::string azureOpenAiEndpoint(const core::EnvMap& env);

}  // namespace codecrew::cloud
