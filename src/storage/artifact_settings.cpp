#include "storage/artifact_settings.h"

#include "cloud/aws/aws_credentials.h"
#include "cloud/aws/aws_endpoints.h"
#include "cloud/azure/connection_string.h"
#include "cloud/azure/shared_key.h"
#include "http/client/url.h"
#include "storage/local_blob_store.h"

namespace codecrew::storage {
namespace {

std::string envValue(const core::EnvMap& env, const char* name) {
  auto it = env.find(name);
  return it == env.end() ? "" : it->second;
}

core::Status readString(const boost::json::object& t, const char* key, std::string& out) {
  if (const auto* v = t.if_contains(key)) {
    if (!v->is_string()) return core::Error::invalidArgument(std::string("[artifacts] ") + key + " must be a string");
    out = std::string(v->get_string());
  }
  return core::okStatus();
}

core::Status readBool(const boost::json::object& t, const char* key, bool& out) {
  if (const auto* v = t.if_contains(key)) {
    if (!v->is_bool())
      return core::Error::invalidArgument(std::string("[artifacts] ") + key + " must be true or false");
    out = v->get_bool();
  }
  return core::okStatus();
}

core::Status envBool(const core::EnvMap& env, const char* name, bool& out) {
  auto v = envValue(env, name);
  if (v.empty()) return core::okStatus();
  if (v == "1" || v == "true") out = true;
  else if (v == "0" || v == "false") out = false;
  else return core::Error::invalidArgument(std::string(name) + " must be true or false, got '" + v + "'");
  return core::okStatus();
}

core::Status checkEndpoint(const std::string& what, const std::string& url) {
  auto parsed = http::parseUrl(url);
  if (!parsed) return core::Error::invalidArgument(what + " must be an http(s):// URL: " + parsed.error().message);
  if (url.find('?') != std::string::npos) return core::Error::invalidArgument(what + " must not carry a query");
  return core::okStatus();
}

core::Status resolveAzure(ArtifactSettings& s, const core::EnvMap& env) {
  AzureBlobSettings& a = s.azure;
  a.container = s.bucket;
  a.prefix = s.prefix;
  cloud::azure::StorageConnection conn;
  if (auto text = envValue(env, "AZURE_STORAGE_CONNECTION_STRING"); !text.empty()) {
    auto parsed = cloud::azure::parseStorageConnectionString(text);
    if (!parsed) return parsed.error();
    conn = std::move(parsed).value();
  }
  a.account = envValue(env, "AZURE_STORAGE_ACCOUNT");
  if (a.account.empty()) a.account = conn.account;
  a.key = envValue(env, "AZURE_STORAGE_KEY");
  a.sas = envValue(env, "AZURE_STORAGE_SAS_TOKEN");
  if (!a.sas.empty() && a.sas.front() == '?') a.sas.erase(0, 1);
  if (a.key.empty() && a.sas.empty()) {
    a.key = conn.key;
    a.sas = conn.sas;
  }
  if (a.account.empty())
    return core::Error::invalidArgument(
        "[artifacts] store = \"azure\" needs a storage account: set AZURE_STORAGE_ACCOUNT (or "
        "AZURE_STORAGE_CONNECTION_STRING)");
  if (a.key.empty() && a.sas.empty())
    return core::Error::invalidArgument(
        "[artifacts] store = \"azure\" needs credentials for storage account " + a.account +
        ": set AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN (or AZURE_STORAGE_CONNECTION_STRING)");
  if (!a.key.empty()) {
    auto decoded = cloud::azure::base64Decode(a.key);
    if (!decoded || decoded->empty())
      return core::Error::invalidArgument(
          "AZURE_STORAGE_KEY is not a storage account key (base64): copy it whole from the portal's Access keys");
  }
  if (!a.sas.empty() && a.sas.find("sig=") == std::string::npos)
    return core::Error::invalidArgument("AZURE_STORAGE_SAS_TOKEN has no sig= parameter: it is not a SAS token");
  a.endpoint = s.endpoint;
  if (a.endpoint.empty()) a.endpoint = envValue(env, "AZURE_STORAGE_BLOB_ENDPOINT");
  if (a.endpoint.empty()) a.endpoint = conn.blob_endpoint;
  if (a.endpoint.empty()) a.endpoint = "https://" + a.account + ".blob.core.windows.net";
  while (!a.endpoint.empty() && a.endpoint.back() == '/') a.endpoint.pop_back();
  const char* where = !s.endpoint.empty() ? "[artifacts] endpoint" : "the Azure Blob endpoint";
  return checkEndpoint(where, a.endpoint);
}

core::Status resolveS3(ArtifactSettings& s, const core::EnvMap& env) {
  S3Settings& o = s.s3;
  o.bucket = s.bucket;
  o.prefix = s.prefix;
  o.path_style = s.path_style;
  o.region = s.region;
  if (o.region.empty()) o.region = cloud::aws::awsRegionFromEnv(env);
  if (o.region.empty()) o.region = "us-east-1";
  s.region = o.region;
  auto credentials = cloud::aws::awsCredentialsFromEnv(env);
  if (!credentials && credentials.error().code == core::ErrorCode::kNotFound)
    return core::Error::invalidArgument(
        "[artifacts] store = \"s3\" needs AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and "
        "AWS_SESSION_TOKEN for temporary ones)");
  if (!credentials) return credentials.error();
  o.credentials = std::move(credentials).value();
  o.endpoint = s.endpoint;
  if (o.endpoint.empty()) {
    auto endpoint = cloud::aws::awsEndpoint(cloud::aws::AwsService::kS3, o.region, env);
    if (!endpoint) return endpoint.error();
    if (endpoint->source != "default") o.endpoint = endpoint->url;  // AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL
  }
  if (o.bucket.find('/') != std::string::npos || o.bucket.find(':') != std::string::npos)
    return core::Error::invalidArgument("[artifacts] bucket must be a bucket's name, got '" + o.bucket + "'");
  return core::okStatus();
}

}  // namespace

core::Result<ArtifactSettings> loadArtifactSettings(const boost::json::object& document, const core::EnvMap& env,
                                                    const std::filesystem::path& data_dir) {
  ArtifactSettings s;
  if (const auto* v = document.if_contains("artifacts")) {
    const auto* t = v->if_object();
    if (!t) return core::Error::invalidArgument("[artifacts] must be a table");
    for (auto [key, out] :
         {std::pair{"store", &s.store}, std::pair{"bucket", &s.bucket}, std::pair{"prefix", &s.prefix},
          std::pair{"region", &s.region}, std::pair{"endpoint", &s.endpoint}})
      if (auto ok = readString(*t, key, *out); !ok) return ok.error();
    if (auto ok = readBool(*t, "path_style", s.path_style); !ok) return ok.error();
    if (auto ok = readBool(*t, "archive_workspaces", s.archive_workspaces); !ok) return ok.error();
  }
  for (auto [name, out] :
       {std::pair{"CODECREW_ARTIFACTS_STORE", &s.store}, std::pair{"CODECREW_ARTIFACTS_BUCKET", &s.bucket},
        std::pair{"CODECREW_ARTIFACTS_PREFIX", &s.prefix}, std::pair{"CODECREW_ARTIFACTS_REGION", &s.region},
        std::pair{"CODECREW_ARTIFACTS_ENDPOINT", &s.endpoint}})
    if (auto v = envValue(env, name); !v.empty()) *out = v;
  if (auto ok = envBool(env, "CODECREW_ARTIFACTS_PATH_STYLE", s.path_style); !ok) return ok.error();
  if (auto ok = envBool(env, "CODECREW_ARTIFACTS_ARCHIVE_WORKSPACES", s.archive_workspaces); !ok) return ok.error();
  s.local_root = std::filesystem::absolute(data_dir) / "artifacts";
  while (!s.prefix.empty() && s.prefix.front() == '/') s.prefix.erase(0, 1);
  if (!s.prefix.empty() && s.prefix.back() != '/') s.prefix += '/';
  while (!s.endpoint.empty() && s.endpoint.back() == '/') s.endpoint.pop_back();
  if (s.store == "local") return s;
  if (s.store != "s3" && s.store != "azure")
    return core::Error::invalidArgument("[artifacts] store must be \"local\", \"s3\" or \"azure\", got \"" + s.store +
                                        "\" (CODECREW_ARTIFACTS_STORE)");
  if (s.bucket.empty())
    return core::Error::invalidArgument("[artifacts] store = \"" + s.store + "\" needs [artifacts] bucket (the " +
                                        (s.store == "s3" ? "S3 bucket" : "Azure container") +
                                        "; or CODECREW_ARTIFACTS_BUCKET)");
  if (!s.endpoint.empty())
    if (auto ok = checkEndpoint("[artifacts] endpoint", s.endpoint); !ok) return ok.error();
  if (s.store == "azure") {
    if (auto ok = resolveAzure(s, env); !ok) return ok.error();
    return s;
  }
  if (auto ok = resolveS3(s, env); !ok) return ok.error();
  return s;
}

core::Result<std::shared_ptr<BlobStore>> makeArtifactStore(const ArtifactSettings& settings, BlobHttpDeps deps) {
  if (settings.store == "local")
    return std::shared_ptr<BlobStore>(std::make_shared<LocalBlobStore>(settings.local_root));
  if (settings.store == "azure") {
    if (!deps.http || !deps.clock)
      return core::Error::internal("the Azure artifact store needs an HTTP client and a clock");
    return std::shared_ptr<BlobStore>(std::make_shared<AzureBlobStore>(settings.azure, std::move(deps)));
  }
  if (settings.store == "s3") {
    if (!deps.http || !deps.clock)
      return core::Error::internal("the S3 artifact store needs an HTTP client and a clock");
    return std::shared_ptr<BlobStore>(std::make_shared<S3BlobStore>(settings.s3, std::move(deps)));
  }
  return core::Error{core::ErrorCode::kUnimplemented, "no artifact store \"" + settings.store + "\"", nullptr};
}

}  // namespace codecrew::storage
