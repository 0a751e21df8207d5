#include "cloud/cloud_detection.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace codecrew::cloud {
namespace {

const CloudService* service(const CloudDetection& d, const std::string& role) {
  for (const auto& s : d.services)
    if (s.role == role) return &s;
  return nullptr;
}

const CloudProblem* problemOf(const CloudDetection& d, const std::string& variable) {
  for (const auto& p : d.problems)
    if (p.variable == variable) return &p;
  return nullptr;
}

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
  return std::any_of(lines.begin(), lines.end(), [&](const auto& l) { return l.find(text) != std::string::npos; });
}

core::EnvMap awsKeys(core::EnvMap extra = {}) {
  extra.emplace("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE0000000");
  extra.emplace("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  return extra;
}

TEST(CloudDetectionTest, NothingSetIsNoCloudAndNoProblem) {
  auto d = detectCloud({{"OPENAI_API_KEY", "sk-x"}, {"HOME", "/root"}});
  EXPECT_EQ(d.kind, CloudKind::kNone);
  EXPECT_TRUE(d.services.empty());
  EXPECT_TRUE(d.problems.empty());
  EXPECT_TRUE(d.status().ok());
}

TEST(CloudDetectionTest, TheSeedsAzureVariablesResolveToAzureOpenAiAndBlobStorage) {
  core::EnvMap env{{"CLOUD_PROVIDER", "azure"},
                   {"AZURE_SUBSCRIPTION_ID", "0b7e2f9c-1111-4a2b-9c3d-123456789abc"},
                   {"AZURE_RESOURCE_GROUP", "rg"},
                   {"AZURE_OPENAI_RESOURCE_NAME", "my-openai"},
                   {"AZURE_OPENAI_API_KEY", "k"},
                   {"AZURE_OPENAI_DEPLOYMENT", "gpt-4o"},
                   {"AZURE_SEARCH_SERVICE_NAME", "search"},
                   {"AZURE_STORAGE_ACCOUNT", "crewartifacts"},
                   {"AZURE_STORAGE_KEY", "c2VjcmV0LWtleQ=="}};
  auto d = detectCloud(env);
  EXPECT_EQ(d.kind, CloudKind::kAzure);
  EXPECT_TRUE(d.explicit_choice);
  EXPECT_EQ(d.chosen_by, "CLOUD_PROVIDER=azure");
  const auto* llm = service(d, "llm");
  ASSERT_NE(llm, nullptr);
  EXPECT_EQ(llm->name, "Azure OpenAI");
  EXPECT_EQ(llm->endpoint, "https://my-openai.openai.azure.com/");
  EXPECT_EQ(llm->credentials, "AZURE_OPENAI_API_KEY");
  EXPECT_TRUE(llm->usable);
  const auto* blob = service(d, "storage");
  ASSERT_NE(blob, nullptr);
  EXPECT_EQ(blob->endpoint, "https://crewartifacts.blob.core.windows.net");
  EXPECT_EQ(blob->credentials, "AZURE_STORAGE_KEY (Shared Key)");
  EXPECT_TRUE(blob->usable);
  EXPECT_TRUE(d.status().ok()) << d.status().error().message;
  EXPECT_TRUE(mentions(d.unused, "AZURE_SEARCH_SERVICE_NAME"));
  EXPECT_TRUE(mentions(d.unused, "AZURE_SUBSCRIPTION_ID"));
}

TEST(CloudDetectionTest, AzureIsInferredFromItsVariablesAndOnlyWarnsOfWhatIsMissing) {
  auto d = detectCloud({{"AZURE_OPENAI_ENDPOINT", "https://x.openai.azure.com/"}});
  EXPECT_EQ(d.kind, CloudKind::kAzure);
  EXPECT_FALSE(d.explicit_choice);
  EXPECT_EQ(d.chosen_by, "AZURE_OPENAI_ENDPOINT");
  const auto* missing = problemOf(d, "AZURE_OPENAI_API_KEY");
  ASSERT_NE(missing, nullptr);
  EXPECT_FALSE(missing->fatal);
  EXPECT_FALSE(service(d, "llm")->usable);
  EXPECT_TRUE(d.status().ok());
}

TEST(CloudDetectionTest, AnExplicitAzureMissingItsKeyIsFatalNamingTheVariable) {
  auto d = detectCloud({{"CLOUD_PROVIDER", "Azure"}, {"AZURE_OPENAI_ENDPOINT", "https://x.openai.azure.com/"}});
  ASSERT_FALSE(d.status().ok());
  EXPECT_NE(d.status().error().message.find("AZURE_OPENAI_API_KEY"), std::string::npos);
}

TEST(CloudDetectionTest, AnExplicitAzureWithNothingConfiguredSaysWhatToSet) {
  auto d = detectCloud({{"CLOUD_PROVIDER", "azure"}});
  ASSERT_FALSE(d.status().ok());
  EXPECT_NE(d.status().error().message.find("AZURE_OPENAI_ENDPOINT"), std::string::npos);
  EXPECT_NE(d.status().error().message.find("AZURE_STORAGE_ACCOUNT"), std::string::npos);
}

TEST(CloudDetectionTest, AzureStorageFromAConnectionString) {
  auto d = detectCloud(
      {{"AZURE_STORAGE_CONNECTION_STRING",
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://"
        "127.0.0.1:10000/devstoreaccount1;"}});
  EXPECT_EQ(d.kind, CloudKind::kAzure);
  const auto* blob = service(d, "storage");
  ASSERT_NE(blob, nullptr);
  EXPECT_EQ(blob->endpoint, "http://127.0.0.1:10000/devstoreaccount1");
  EXPECT_EQ(blob->credentials, "AZURE_STORAGE_CONNECTION_STRING (Shared Key)");
  EXPECT_TRUE(blob->usable);
}

TEST(CloudDetectionTest, AwsKeysAndRegionResolveToBedrockAndS3) {
  auto d = detectCloud(awsKeys({{"AWS_REGION", "eu-west-3"}, {"AWS_OPENSEARCH_DOMAIN", "d"}}));
  EXPECT_EQ(d.kind, CloudKind::kAws);
  EXPECT_EQ(d.chosen_by, "AWS_ACCESS_KEY_ID");
  const auto* llm = service(d, "llm");
  ASSERT_NE(llm, nullptr);
  EXPECT_EQ(llm->name, "Amazon Bedrock");
  EXPECT_EQ(llm->endpoint, "https://bedrock-runtime.eu-west-3.amazonaws.com");
  EXPECT_TRUE(llm->usable);
  const auto* s3 = service(d, "storage");
  ASSERT_NE(s3, nullptr);
  EXPECT_EQ(s3->endpoint, "https://s3.eu-west-3.amazonaws.com");
  EXPECT_EQ(s3->credentials, "AWS_ACCESS_KEY_ID");
  EXPECT_TRUE(mentions(d.unused, "AWS_OPENSEARCH_DOMAIN"));
  EXPECT_TRUE(d.status().ok());
}

TEST(CloudDetectionTest, AwsEndpointVariablesOverrideThePublicEndpoints) {
  auto d = detectCloud(awsKeys({{"AWS_DEFAULT_REGION", "us-east-1"},
                                {"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"},
                                {"AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://127.0.0.1:9000"},
                                {"AWS_SESSION_TOKEN", "t"}}));
  EXPECT_EQ(service(d, "llm")->endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(service(d, "storage")->endpoint, "http://127.0.0.1:4566");
  EXPECT_EQ(service(d, "storage")->credentials, "AWS_ACCESS_KEY_ID + AWS_SESSION_TOKEN");
}

TEST(CloudDetectionTest, AnExplicitAwsWithoutRegionOrKeysIsFatalNamingThem) {
  auto d = detectCloud({{"CLOUD_PROVIDER", "aws"}});
  ASSERT_FALSE(d.status().ok());
  const std::string message = d.status().error().message;
  EXPECT_NE(message.find("AWS_REGION"), std::string::npos);
  EXPECT_NE(message.find("AWS_ACCESS_KEY_ID"), std::string::npos);
  EXPECT_FALSE(service(d, "llm")->usable);
}

TEST(CloudDetectionTest, MalformedValuesAreFatalNamingTheVariableAndTheValue) {
  struct Case {
    core::EnvMap env;
    std::string variable;
    std::string value;
  };
  std::vector<Case> cases = {
      {{{"CLOUD_PROVIDER", "gcp"}}, "CLOUD_PROVIDER", "gcp"},
      {awsKeys({{"AWS_REGION", "europe"}}), "AWS_REGION", "europe"},
      {awsKeys({{"AWS_REGION", "us-east-1"}, {"AWS_ENDPOINT_URL_S3", "localhost:9000"}}), "AWS_ENDPOINT_URL_S3",
       "localhost:9000"},
      {{{"AZURE_OPENAI_ENDPOINT", "my-resource.openai.azure.com"}},
       "AZURE_OPENAI_ENDPOINT",
       "my-resource.openai.azure.com"},
      {{{"AZURE_STORAGE_ACCOUNT", "My_Account"}}, "AZURE_STORAGE_ACCOUNT", "My_Account"},
      {{{"AZURE_OPENAI_RESOURCE_NAME", "bad name"}}, "AZURE_OPENAI_RESOURCE_NAME", "bad name"},
  };
  for (const auto& c : cases) {
    auto d = detectCloud(c.env);
    auto status = d.status();
    ASSERT_FALSE(status.ok()) << c.variable;
    EXPECT_NE(status.error().message.find(c.variable), std::string::npos) << status.error().message;
    EXPECT_NE(status.error().message.find(c.value), std::string::npos) << status.error().message;
    const auto* p = problemOf(d, c.variable);
    ASSERT_NE(p, nullptr) << c.variable;
    EXPECT_TRUE(p->fatal);
  }
}

TEST(CloudDetectionTest, HalfAKeyPairOrATemporaryKeyWithoutItsTokenIsFatal) {
  auto d = detectCloud({{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE0000000"}, {"AWS_REGION", "us-east-1"}});
  ASSERT_NE(problemOf(d, "AWS_SECRET_ACCESS_KEY"), nullptr);
  EXPECT_TRUE(problemOf(d, "AWS_SECRET_ACCESS_KEY")->fatal);

  auto t = detectCloud(
      {{"AWS_ACCESS_KEY_ID", "ASIAEXAMPLE0000000"}, {"AWS_SECRET_ACCESS_KEY", "s"}, {"AWS_REGION", "us-east-1"}});
  ASSERT_NE(problemOf(t, "AWS_SESSION_TOKEN"), nullptr);
  EXPECT_FALSE(t.status().ok());
}

TEST(CloudDetectionTest, BothCloudsWithoutAChoiceIsAmbiguousButNotFatal) {
  auto d = detectCloud(awsKeys({{"AZURE_STORAGE_ACCOUNT", "acct"}, {"AWS_REGION", "us-east-1"}}));
  EXPECT_EQ(d.kind, CloudKind::kNone);
  const auto* p = problemOf(d, "CLOUD_PROVIDER");
  ASSERT_NE(p, nullptr);
  EXPECT_FALSE(p->fatal);
  EXPECT_NE(p->message.find("AZURE_STORAGE_ACCOUNT"), std::string::npos);
  EXPECT_NE(p->message.find("AWS_ACCESS_KEY_ID"), std::string::npos);
  EXPECT_TRUE(d.status().ok());
}

TEST(CloudDetectionTest, AnUnusedVariableThatIsMalformedOnlyWarns) {
  auto d = detectCloud({{"AZURE_SUBSCRIPTION_ID", "not-a-guid"},
                        {"AZURE_STORAGE_ACCOUNT", "acct1"},
                        {"AZURE_STORAGE_SAS_TOKEN", "sv=2022&sig=x"}});
  const auto* p = problemOf(d, "AZURE_SUBSCRIPTION_ID");
  ASSERT_NE(p, nullptr);
  EXPECT_FALSE(p->fatal);
  EXPECT_TRUE(d.status().ok());
  EXPECT_EQ(service(d, "storage")->credentials, "AZURE_STORAGE_SAS_TOKEN (SAS)");
}

TEST(CloudDetectionTest, NoSecretValueAppearsInWhatIsReported) {
  auto d = detectCloud(awsKeys({{"AWS_REGION", "us-east-1"}, {"AWS_SESSION_TOKEN", "session-secret-value"}}));
  for (const auto& s : d.services) {
    EXPECT_EQ(s.credentials.find("wJalr"), std::string::npos);
    EXPECT_EQ(s.credentials.find("session-secret-value"), std::string::npos);
  }
  for (const auto& name : d.present) EXPECT_EQ(name.find('='), std::string::npos);
}

TEST(CloudDetectionTest, AzureOpenAiEndpointPrefersTheEndpointOverTheResourceName) {
  EXPECT_EQ(azureOpenAiEndpoint(
                {{"AZURE_OPENAI_ENDPOINT", "http://127.0.0.1:1/"}, {"AZURE_OPENAI_RESOURCE_NAME", "r"}}),
            "http://127.0.0.1:1/");
  EXPECT_EQ(azureOpenAiEndpoint({{"AZURE_OPENAI_RESOURCE_NAME", "r"}}), "https://r.openai.azure.com/");
  EXPECT_EQ(azureOpenAiEndpoint({}), "");
}

}  // namespace
}  // namespace codecrew::cloud
