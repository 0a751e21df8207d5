#include "cloud/aws/aws_credentials.h"
#include "cloud/aws/aws_endpoints.h"

#include <gtest/gtest.h>

namespace codecrew::cloud::aws {
namespace {

TEST(AwsCredentials, ReadsTheStandardVariables) {
  core::EnvMap env{{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "secret"}, {"AWS_SESSION_TOKEN", "tok"}};
  auto c = awsCredentialsFromEnv(env);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "AKID");
  EXPECT_EQ(c->secret_access_key, "secret");
  EXPECT_EQ(c->session_token, "tok");
}

TEST(AwsCredentials, NoneIsNotFoundAndHalfAPairNamesTheMissingVariable) {
  auto none = awsCredentialsFromEnv({});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, core::ErrorCode::kNotFound);
  auto no_secret = awsCredentialsFromEnv({{"AWS_ACCESS_KEY_ID", "AKID"}});
  ASSERT_FALSE(no_secret.ok());
  EXPECT_EQ(no_secret.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(no_secret.error().message.find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
  auto no_id = awsCredentialsFromEnv({{"AWS_SECRET_ACCESS_KEY", "s"}});
  ASSERT_FALSE(no_id.ok());
  EXPECT_NE(no_id.error().message.find("AWS_ACCESS_KEY_ID is not"), std::string::npos);
}

TEST(AwsCredentials, RegionFromAwsRegionThenDefaultRegion) {
  EXPECT_EQ(awsRegionFromEnv({{"AWS_REGION", "eu-west-1"}, {"AWS_DEFAULT_REGION", "us-east-1"}}), "eu-west-1");
  EXPECT_EQ(awsRegionFromEnv({{"AWS_DEFAULT_REGION", "us-east-1"}}), "us-east-1");
  EXPECT_EQ(awsRegionSource({{"AWS_DEFAULT_REGION", "us-east-1"}}), "AWS_DEFAULT_REGION");
  EXPECT_EQ(awsRegionFromEnv({}), "");
}

TEST(AwsEndpoints, PublicEndpointsByRegion) {
  auto bedrock = awsEndpoint(AwsService::kBedrockRuntime, "us-west-2", {});
  ASSERT_TRUE(bedrock.ok());
  EXPECT_EQ(bedrock->url, "https://bedrock-runtime.us-west-2.amazonaws.com");
  EXPECT_EQ(bedrock->source, "default");
  auto s3 = awsEndpoint(AwsService::kS3, "eu-central-1", {});
  ASSERT_TRUE(s3.ok());
  EXPECT_EQ(s3->url, "https://s3.eu-central-1.amazonaws.com");
}

TEST(AwsEndpoints, ServiceVariableThenGlobalVariable) {
  core::EnvMap env{{"AWS_ENDPOINT_URL", "http://127.0.0.1:9000/"},
                   {"AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "https://vpce-1.bedrock-runtime.example.com"}};
  auto bedrock = awsEndpoint(AwsService::kBedrockRuntime, "us-east-1", env);
  ASSERT_TRUE(bedrock.ok());
  EXPECT_EQ(bedrock->url, "https://vpce-1.bedrock-runtime.example.com");
  EXPECT_EQ(bedrock->source, "AWS_ENDPOINT_URL_BEDROCK_RUNTIME");
  auto s3 = awsEndpoint(AwsService::kS3, "", env);
  ASSERT_TRUE(s3.ok());
  EXPECT_EQ(s3->url, "http://127.0.0.1:9000");
  EXPECT_EQ(s3->source, "AWS_ENDPOINT_URL");
}

TEST(AwsEndpoints, MalformedOverrideOrNoRegionNamesTheVariable) {
  auto bad = awsEndpoint(AwsService::kS3, "us-east-1", {{"AWS_ENDPOINT_URL_S3", "localhost:9000"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("AWS_ENDPOINT_URL_S3"), std::string::npos);
  auto no_region = awsEndpoint(AwsService::kBedrockRuntime, "", {});
  ASSERT_FALSE(no_region.ok());
  EXPECT_NE(no_region.error().message.find("AWS_REGION"), std::string::npos);
}

}  // namespace
}  // namespace codecrew::cloud::aws
