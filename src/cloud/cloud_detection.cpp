#include "cloud/cloud_detection.h"

#include "cloud/aws/aws_credentials.h"
#include "cloud/aws/aws_endpoints.h"
#include "cloud/azure/connection_string.h"
#include "core/crypto.h"

#include <boost/algorithm/string.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <regex>
#include <tuple>

namespace codecrew::cloud {

namespace {

std::string envValue(const core::EnvMap& env, const std::string& name) {
  auto it = env.find(name);
  return it == env.end() ? "" : it->second;
}

bool isUrl(const std::string& value) {
  auto url = boost::urls::parse_absolute_uri(value);
  return url && (url->scheme() == "http" || url->scheme() == "https") && !url->encoded_host().empty();
}

bool isGuid(const std::string& value) {
  static const std::regex kGuid("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  return std::regex_match(value, kGuid);
}

// The variables of seed 001 codecrew reads but has no service for.
struct Unused {
  const char* variable;
  const char* why;
};
constexpr Unused kUnusedVariables[] = {
    {"AZURE_SUBSCRIPTION_ID", "codecrew calls Azure's data planes only, never Azure Resource Manager"},
    {"AZURE_RESOURCE_GROUP", "codecrew calls Azure's data planes only, never Azure Resource Manager"},
    {"AZURE_SEARCH_SERVICE_NAME", "code search runs in codecrew (its own index), not Azure AI Search"},
    {"AZURE_SQL_SERVER_NAME", "the database is SQLite or PostgreSQL (DATABASE_URL)"},
    {"AZURE_SERVICE_BUS_NAMESPACE", "the job queue lives in the database"},
    {"AZURE_CLIENT_ID", "Azure OpenAI and Blob Storage are reached with keys or SAS tokens, not Entra ID"},
    {"AZURE_CLIENT_SECRET", "Azure OpenAI and Blob Storage are reached with keys or SAS tokens, not Entra ID"},
    {"AZURE_TENANT_ID", "Azure OpenAI and Blob Storage are reached with keys or SAS tokens, not Entra ID"},
    {"AWS_OPENSEARCH_DOMAIN", "code search runs in codecrew (its own index), not OpenSearch"},
    {"AWS_PROFILE", "credentials are read from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, not profiles"},
};

// What decides a cloud when CLOUD_PROVIDER is not set.
constexpr const char* kAzureMarkers[] = {"AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_RESOURCE_NAME", "AZURE_STORAGE_ACCOUNT",
                                         "AZURE_STORAGE_CONNECTION_STRING", "AZURE_SUBSCRIPTION_ID"};
constexpr const char* kAwsMarkers[] = {"AWS_ACCESS_KEY_ID", "AWS_PROFILE"};

// Every variable detection reads (others, such as AWS_CA_BUNDLE, are not
// codecrew's business).
constexpr const char* kCloudVariables[] = {
    "CLOUD_PROVIDER",
    "AZURE_SUBSCRIPTION_ID",
    "AZURE_RESOURCE_GROUP",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_OPENAI_ENDPOINT",
    "AZURE_OPENAI_RESOURCE_NAME",
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_DEPLOYMENT",
    "AZURE_OPENAI_API_VERSION",
    "AZURE_SEARCH_SERVICE_NAME",
    "AZURE_SQL_SERVER_NAME",
    "AZURE_SERVICE_BUS_NAMESPACE",
    "AZURE_STORAGE_ACCOUNT",
    "AZURE_STORAGE_KEY",
    "AZURE_STORAGE_SAS_TOKEN",
    "AZURE_STORAGE_CONNECTION_STRING",
    "AZURE_STORAGE_BLOB_ENDPOINT",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
    "AWS_ENDPOINT_URL_S3",
    "AWS_OPENSEARCH_DOMAIN",
};

class Detector {
 public:
  explicit Detector(const core::EnvMap& env) : env_(env) {}

  CloudDetection run() {
    for (const auto* name : kCloudVariables)
      if (has(name)) out_.present.push_back(name);
    std::sort(out_.present.begin(), out_.present.end());
    choose();
    for (const auto& u : kUnusedVariables)
      if (has(u.variable)) out_.unused.push_back(std::string(u.variable) + ": " + u.why);
    // Malformed values of the variables codecrew uses are fatal whichever
    // cloud was chosen: a service reading them would fail later, less clearly.
    checkAzureValues();
    checkAwsValues();
    if (out_.kind == CloudKind::kAzure) resolveAzure();
    if (out_.kind == CloudKind::kAws) resolveAws();
    return std::move(out_);
  }

 private:
  bool has(const std::string& name) const { return !envValue(env_, name).empty(); }
  std::string get(const std::string& name) const { return envValue(env_, name); }

  void problem(std::string variable, std::string message, bool fatal) {
    out_.problems.push_back({std::move(variable), std::move(message), fatal});
  }
  // Missing for the chosen cloud: fatal only when the choice was explicit.
  void missing(std::string variable, std::string message) {
    problem(std::move(variable), std::move(message), out_.explicit_choice);
  }

  void choose() {
    if (auto chosen = boost::algorithm::to_lower_copy(boost::algorithm::trim_copy(get("CLOUD_PROVIDER")));
        !chosen.empty()) {
      out_.explicit_choice = true;
      out_.chosen_by = "CLOUD_PROVIDER=" + chosen;
      if (chosen == "azure") out_.kind = CloudKind::kAzure;
      else if (chosen == "aws") out_.kind = CloudKind::kAws;
      else problem("CLOUD_PROVIDER", "CLOUD_PROVIDER='" + get("CLOUD_PROVIDER") + "' is not one of: azure, aws", true);
      return;
    }
    std::vector<std::string> azure, aws;
    for (const auto* m : kAzureMarkers)
      if (has(m)) azure.push_back(m);
    for (const auto* m : kAwsMarkers)
      if (has(m)) aws.push_back(m);
    if (!azure.empty() && !aws.empty()) {
      problem("CLOUD_PROVIDER",
              "both Azure (" + boost::algorithm::join(azure, ", ") + ") and AWS (" + boost::algorithm::join(aws, ", ") +
                  ") variables are set: set CLOUD_PROVIDER=azure or CLOUD_PROVIDER=aws to choose",
              false);
      return;
    }
    if (!azure.empty()) {
      out_.kind = CloudKind::kAzure;
      out_.chosen_by = boost::algorithm::join(azure, ", ");
    } else if (!aws.empty()) {
      out_.kind = CloudKind::kAws;
      out_.chosen_by = boost::algorithm::join(aws, ", ");
    }
  }

  void checkAzureValues() {
    if (has("AZURE_OPENAI_ENDPOINT") && !isUrl(get("AZURE_OPENAI_ENDPOINT")))
      problem("AZURE_OPENAI_ENDPOINT",
              "AZURE_OPENAI_ENDPOINT='" + get("AZURE_OPENAI_ENDPOINT") +
                  "' is not an http(s) URL (e.g. https://my-resource.openai.azure.com/)",
              true);
    static const std::regex kResource("^[A-Za-z0-9][A-Za-z0-9-]{1,62}$");
    if (has("AZURE_OPENAI_RESOURCE_NAME") && !std::regex_match(get("AZURE_OPENAI_RESOURCE_NAME"), kResource))
      problem("AZURE_OPENAI_RESOURCE_NAME",
              "AZURE_OPENAI_RESOURCE_NAME='" + get("AZURE_OPENAI_RESOURCE_NAME") +
                  "' is not a resource name (letters, digits and hyphens, 2 to 64)",
              true);
    static const std::regex kAccount("^[a-z0-9]{3,24}$");
    if (has("AZURE_STORAGE_ACCOUNT") && !std::regex_match(get("AZURE_STORAGE_ACCOUNT"), kAccount))
      problem("AZURE_STORAGE_ACCOUNT",
              "AZURE_STORAGE_ACCOUNT='" + get("AZURE_STORAGE_ACCOUNT") +
                  "' is not a storage account name (3 to 24 lower-case letters and digits)",
              true);
    if (has("AZURE_STORAGE_KEY") && !core::base64Decode(get("AZURE_STORAGE_KEY")))
      problem("AZURE_STORAGE_KEY", "AZURE_STORAGE_KEY is not base64 (copy the account's access key as it is)", true);
    if (has("AZURE_STORAGE_BLOB_ENDPOINT") && !isUrl(get("AZURE_STORAGE_BLOB_ENDPOINT")))
      problem("AZURE_STORAGE_BLOB_ENDPOINT",
              "AZURE_STORAGE_BLOB_ENDPOINT='" + get("AZURE_STORAGE_BLOB_ENDPOINT") + "' is not an http(s) URL", true);
    if (has("AZURE_STORAGE_CONNECTION_STRING"))
      if (auto parsed = azure::parseStorageConnectionString(get("AZURE_STORAGE_CONNECTION_STRING")); !parsed)
        problem("AZURE_STORAGE_CONNECTION_STRING",
                parsed.error().message + " (copy it from the storage account's Access keys)", true);
    for (const char* guid : {"AZURE_SUBSCRIPTION_ID", "AZURE_CLIENT_ID", "AZURE_TENANT_ID"})
      if (has(guid) && !isGuid(get(guid)))
        problem(guid, std::string(guid) + "='" + get(guid) + "' is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
                false);
  }

  void checkAwsValues() {
    static const std::regex kRegion("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$");
    for (const char* var : {"AWS_REGION", "AWS_DEFAULT_REGION"})
      if (has(var) && !std::regex_match(get(var), kRegion))
        problem(var, std::string(var) + "='" + get(var) + "' is not an AWS region (e.g. us-east-1, eu-west-3)", true);
    // Any form: S3-compatible stores (MinIO, Ceph) have keys of their own.
    for (const char* var : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"})
      if (has(var) && get(var).find_first_of(" \t\r\n") != std::string::npos)
        problem(var, std::string(var) + " holds a space or a line break: copy it again without them", true);
    if (has("AWS_ACCESS_KEY_ID") != has("AWS_SECRET_ACCESS_KEY")) {
      std::string set = has("AWS_ACCESS_KEY_ID") ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY";
      std::string unset = has("AWS_ACCESS_KEY_ID") ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID";
      problem(unset, set + " is set but " + unset + " is not: set both", true);
    }
    if (get("AWS_ACCESS_KEY_ID").starts_with("ASIA") && !has("AWS_SESSION_TOKEN"))
      problem("AWS_SESSION_TOKEN",
              "AWS_ACCESS_KEY_ID is a temporary key (ASIA...), which needs AWS_SESSION_TOKEN: set it from the same "
              "credentials",
              true);
    for (const auto& name : out_.present)
      if (name.starts_with("AWS_ENDPOINT_URL") && !isUrl(get(name)))
        problem(name, name + "='" + get(name) + "' is not an http(s) URL", true);
  }

  void resolveAzure() {
    CloudService llm{"llm", "Azure OpenAI", azureOpenAiEndpoint(env_), "", false};
    if (has("AZURE_OPENAI_API_KEY")) llm.credentials = "AZURE_OPENAI_API_KEY";
    if (llm.endpoint.empty())
      missing("AZURE_OPENAI_ENDPOINT",
              "Azure OpenAI: set AZURE_OPENAI_ENDPOINT (or AZURE_OPENAI_RESOURCE_NAME) to reach its models");
    else if (llm.credentials.empty())
      missing("AZURE_OPENAI_API_KEY", "Azure OpenAI at " + llm.endpoint + ": AZURE_OPENAI_API_KEY is not set");
    else if (!has("AZURE_OPENAI_DEPLOYMENT"))
      problem("AZURE_OPENAI_DEPLOYMENT",
              "Azure OpenAI: AZURE_OPENAI_DEPLOYMENT is not set: requests name their deployment as the model", false);
    llm.usable = !llm.endpoint.empty() && !llm.credentials.empty();
    out_.services.push_back(std::move(llm));

    CloudService blob{"storage", "Azure Blob Storage", "", "", false};
    azure::StorageConnection connection;  // empty without a (well-formed) connection string
    if (has("AZURE_STORAGE_CONNECTION_STRING"))
      if (auto parsed = azure::parseStorageConnectionString(get("AZURE_STORAGE_CONNECTION_STRING")); parsed)
        connection = std::move(parsed).value();
    // The artifact store's order (storage/artifact_settings.h).
    if (has("AZURE_STORAGE_BLOB_ENDPOINT")) blob.endpoint = get("AZURE_STORAGE_BLOB_ENDPOINT");
    else if (!connection.blob_endpoint.empty()) blob.endpoint = connection.blob_endpoint;
    else if (has("AZURE_STORAGE_ACCOUNT"))
      blob.endpoint = "https://" + get("AZURE_STORAGE_ACCOUNT") + ".blob.core.windows.net";
    if (has("AZURE_STORAGE_KEY")) blob.credentials = "AZURE_STORAGE_KEY (Shared Key)";
    else if (has("AZURE_STORAGE_SAS_TOKEN")) blob.credentials = "AZURE_STORAGE_SAS_TOKEN (SAS)";
    else if (!connection.key.empty()) blob.credentials = "AZURE_STORAGE_CONNECTION_STRING (Shared Key)";
    else if (!connection.sas.empty()) blob.credentials = "AZURE_STORAGE_CONNECTION_STRING (SAS)";
    if (!blob.endpoint.empty() && blob.credentials.empty())
      missing("AZURE_STORAGE_KEY", "Azure Blob Storage at " + blob.endpoint +
                                       ": set AZURE_STORAGE_KEY, AZURE_STORAGE_SAS_TOKEN or "
                                       "AZURE_STORAGE_CONNECTION_STRING");
    blob.usable = !blob.endpoint.empty() && !blob.credentials.empty();
    // Azure chosen with neither service reachable is a configuration with nothing in it.
    if (out_.explicit_choice && llm_unset() && blob.endpoint.empty())
      missing("AZURE_STORAGE_ACCOUNT",
              "CLOUD_PROVIDER=azure but neither Azure OpenAI (AZURE_OPENAI_ENDPOINT) nor Blob Storage "
              "(AZURE_STORAGE_ACCOUNT) is configured");
    out_.services.push_back(std::move(blob));
  }

  bool llm_unset() const { return azureOpenAiEndpoint(env_).empty(); }

  void resolveAws() {
    std::string region = aws::awsRegionFromEnv(env_);
    if (region.empty()) missing("AWS_REGION", "AWS: AWS_REGION (or AWS_DEFAULT_REGION) is not set");
    bool keys = has("AWS_ACCESS_KEY_ID") && has("AWS_SECRET_ACCESS_KEY");
    if (!has("AWS_ACCESS_KEY_ID") && !has("AWS_SECRET_ACCESS_KEY"))
      missing("AWS_ACCESS_KEY_ID", "AWS: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set" +
                                       std::string(has("AWS_PROFILE") ? " (AWS_PROFILE is not read)" : ""));
    std::string credentials = keys ? std::string("AWS_ACCESS_KEY_ID") +
                                         (has("AWS_SESSION_TOKEN") ? " + AWS_SESSION_TOKEN" : "")
                                   : "";
    for (auto [role, name, service] : {std::tuple{"llm", "Amazon Bedrock", aws::AwsService::kBedrockRuntime},
                                       std::tuple{"storage", "Amazon S3", aws::AwsService::kS3}}) {
      // A malformed override was reported by checkAwsValues; a missing region above.
      auto endpoint = aws::awsEndpoint(service, region, env_);
      CloudService s{role, name, endpoint ? endpoint->url : "", credentials, false};
      s.usable = !s.endpoint.empty() && !region.empty() && keys;
      out_.services.push_back(std::move(s));
    }
  }

  const core::EnvMap& env_;
  CloudDetection out_;
};

}  // namespace

std::string_view cloudName(CloudKind kind) {
  switch (kind) {
    case CloudKind::kAzure: return "azure";
    case CloudKind::kAws: return "aws";
    case CloudKind::kNone: break;
  }
  return "none";
}

core::Status CloudDetection::status() const {
  std::vector<std::string> fatal;
  for (const auto& p : problems)
    if (p.fatal) fatal.push_back(p.message);
  if (fatal.empty()) return core::Status();
  return core::Error::invalidArgument(boost::algorithm::join(fatal, "; "));
}

CloudDetection detectCloud(const core::EnvMap& env) { return Detector(env).run(); }

std::string azureOpenAiEndpoint(const core::EnvMap& env) {
  if (auto endpoint = envValue(env, "AZURE_OPENAI_ENDPOINT"); !endpoint.empty()) return endpoint;
  if (auto name = envValue(env, "AZURE_OPENAI_RESOURCE_NAME"); !name.empty())
    return "https://" + name + ".openai.azure.com/";
  return "";
}

}  // namespace codecrew::cloud
