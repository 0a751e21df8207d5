#include "storage/artifact_settings.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace codecrew::storage {
namespace {

constexpr const char* kKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

core::Result<ArtifactSettings> load(const std::string& doc, const core::EnvMap& env) {
  return loadArtifactSettings(boost::json::parse(doc).as_object(), env, "/data");
}

std::string errorOf(const core::Result<ArtifactSettings>& r) { return r.ok() ? "" : r.error().message; }

TEST(ArtifactSettings, LocalByDefaultUnderTheDataDirectory) {
  auto s = load("{}", {});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->store, "local");
  EXPECT_EQ(s->local_root, std::filesystem::path("/data/artifacts"));
  EXPECT_FALSE(s->archive_workspaces);
  auto store = makeArtifactStore(*s, {});
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->kind(), "local");
}

TEST(ArtifactSettings, AzureFromTheStandardVariables) {
  auto s = load(R"({"artifacts": {"store": "azure", "bucket": "arts", "prefix": "cc"}})",
                {{"AZURE_STORAGE_ACCOUNT", "acme"}, {"AZURE_STORAGE_KEY", kKey}});
  ASSERT_TRUE(s.ok()) << errorOf(s);
  EXPECT_EQ(s->azure.account, "acme");
  EXPECT_EQ(s->azure.container, "arts");
  EXPECT_EQ(s->azure.prefix, "cc/");
  EXPECT_EQ(s->azure.endpoint, "https://acme.blob.core.windows.net");
  EXPECT_EQ(s->azure.key, kKey);
}

TEST(ArtifactSettings, AzureFromAConnectionStringWithAnEndpointOverride) {
  auto s = load("{}", {{"CODECREW_ARTIFACTS_STORE", "azure"},
                       {"CODECREW_ARTIFACTS_BUCKET", "arts"},
                       {"AZURE_STORAGE_CONNECTION_STRING", "UseDevelopmentStorage=true"},
                       {"AZURE_STORAGE_BLOB_ENDPOINT", "http://127.0.0.1:9999/devstoreaccount1/"}});
  ASSERT_TRUE(s.ok()) << errorOf(s);
  EXPECT_EQ(s->azure.account, "devstoreaccount1");
  EXPECT_EQ(s->azure.endpoint, "http://127.0.0.1:9999/devstoreaccount1");
  EXPECT_FALSE(s->azure.key.empty());
}

TEST(ArtifactSettings, AzureWithASasToken) {
  auto s = load(R"({"artifacts": {"store": "azure", "bucket": "arts"}})",
                {{"AZURE_STORAGE_ACCOUNT", "acme"}, {"AZURE_STORAGE_SAS_TOKEN", "?sv=2020-12-06&sp=rw&sig=abc"}});
  ASSERT_TRUE(s.ok()) << errorOf(s);
  EXPECT_EQ(s->azure.sas, "sv=2020-12-06&sp=rw&sig=abc");
  EXPECT_TRUE(s->azure.key.empty());
}

TEST(ArtifactSettings, S3FromTheStandardVariables) {
  auto s = load(R"({"artifacts": {"store": "s3", "bucket": "arts"}})",
                {{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "secret"}, {"AWS_REGION", "eu-west-1"}});
  ASSERT_TRUE(s.ok()) << errorOf(s);
  EXPECT_EQ(s->s3.bucket, "arts");
  EXPECT_EQ(s->s3.region, "eu-west-1");
  EXPECT_EQ(s->s3.endpoint, "");
  EXPECT_FALSE(s->s3.path_style);
  EXPECT_EQ(s->s3.credentials.access_key_id, "AKID");
  auto store = makeArtifactStore(*s, {std::shared_ptr<http::HttpClient>(), nullptr, nullptr, {}});
  EXPECT_FALSE(store.ok());  // no HTTP client: a programmer error, said so
}

TEST(ArtifactSettings, S3CustomEndpointFromAwsVariablesAndConfigRegionWins) {
  auto s = load(R"({"artifacts": {"store": "s3", "bucket": "arts", "region": "us-west-2"}})",
                {{"AWS_ACCESS_KEY_ID", "AKID"},
                 {"AWS_SECRET_ACCESS_KEY", "secret"},
                 {"AWS_REGION", "eu-west-1"},
                 {"AWS_ENDPOINT_URL", "http://127.0.0.1:1/"},
                 {"AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000/"}});
  ASSERT_TRUE(s.ok()) << errorOf(s);
  EXPECT_EQ(s->s3.region, "us-west-2");
  EXPECT_EQ(s->s3.endpoint, "http://127.0.0.1:9000");
  auto no_region = load(R"({"artifacts": {"store": "s3", "bucket": "arts"}})",
                        {{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "secret"}});
  ASSERT_TRUE(no_region.ok());
  EXPECT_EQ(no_region->s3.region, "us-east-1");
}

TEST(ArtifactSettings, S3WithoutCredentialsNamesTheVariables) {
  auto none = load(R"({"artifacts": {"store": "s3", "bucket": "arts"}})", {});
  EXPECT_NE(errorOf(none).find("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), std::string::npos) << errorOf(none);
  EXPECT_EQ(none.error().code, core::ErrorCode::kInvalidArgument);
  auto half = load(R"({"artifacts": {"store": "s3", "bucket": "arts"}})", {{"AWS_ACCESS_KEY_ID", "AKID"}});
  EXPECT_NE(errorOf(half).find("AWS_SECRET_ACCESS_KEY"), std::string::npos) << errorOf(half);
  auto bad_endpoint = load(R"({"artifacts": {"store": "s3", "bucket": "arts", "endpoint": "minio:9000"}})",
                           {{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "secret"}});
  EXPECT_NE(errorOf(bad_endpoint).find("[artifacts] endpoint"), std::string::npos) << errorOf(bad_endpoint);
}

TEST(ArtifactSettings, WhatIsMissingIsNamed) {
  EXPECT_NE(errorOf(load(R"({"artifacts": {"store": "azure"}})", {})).find("[artifacts] bucket"), std::string::npos);
  EXPECT_NE(errorOf(load(R"({"artifacts": {"store": "azure", "bucket": "b"}})", {})).find("AZURE_STORAGE_ACCOUNT"),
            std::string::npos);
  auto no_key = load(R"({"artifacts": {"store": "azure", "bucket": "b"}})", {{"AZURE_STORAGE_ACCOUNT", "acme"}});
  EXPECT_NE(errorOf(no_key).find("AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN"), std::string::npos);
  EXPECT_EQ(no_key.error().code, core::ErrorCode::kInvalidArgument);
  auto bad_key = load(R"({"artifacts": {"store": "azure", "bucket": "b"}})",
                      {{"AZURE_STORAGE_ACCOUNT", "acme"}, {"AZURE_STORAGE_KEY", "secret*value"}});
  EXPECT_NE(errorOf(bad_key).find("AZURE_STORAGE_KEY is not"), std::string::npos);
  EXPECT_EQ(errorOf(bad_key).find("secret*value"), std::string::npos);
  EXPECT_NE(errorOf(load(R"({"artifacts": {"store": "ftp"}})", {})).find("\"local\", \"s3\" or \"azure\""),
            std::string::npos);
  EXPECT_NE(errorOf(load(R"({"artifacts": {"path_style": "yes"}})", {})).find("path_style must be true or false"),
            std::string::npos);
  EXPECT_NE(errorOf(load("{}", {{"CODECREW_ARTIFACTS_ARCHIVE_WORKSPACES", "maybe"}}))
                .find("CODECREW_ARTIFACTS_ARCHIVE_WORKSPACES"),
            std::string::npos);
}

}  // namespace
}  // namespace codecrew::storage
