// Cloud detection against the real binary: `codecrew doctor` says which
// cloud the variables mean and what each service resolves to; `serve` refuses
// to start on a malformed or missing cloud variable, naming it.
#include "support/server_process.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace codecrew::testing {
namespace {

class CloudDetectionCli : public ::testing::Test {
 protected:
  CommandResult run(const std::vector<std::string>& args, std::map<std::string, std::string> env) {
    env.emplace("CODECREW_DATA_DIR", dir_.str());
    return runCommand(CODECREW_BINARY, args, env);
  }
  TempDir dir_;
};

TEST_F(CloudDetectionCli, DoctorShowsTheAzureServicesTheSeedsVariablesResolveTo) {
  auto r = run({"doctor"}, {{"CLOUD_PROVIDER", "azure"},
                            {"AZURE_OPENAI_RESOURCE_NAME", "crew-openai"},
                            {"AZURE_OPENAI_API_KEY", "azure-key-not-shown-1234"},
                            {"AZURE_OPENAI_DEPLOYMENT", "gpt-4o"},
                            {"AZURE_STORAGE_ACCOUNT", "crewartifacts"},
                            {"AZURE_STORAGE_SAS_TOKEN", "sv=2022-11-02&sig=not-shown-5678"},
                            {"AZURE_SERVICE_BUS_NAMESPACE", "bus"}});
  EXPECT_NE(r.out.find("  provider: azure (CLOUD_PROVIDER=azure)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  llm: Azure OpenAI https://crew-openai.openai.azure.com/, credentials from "
                       "AZURE_OPENAI_API_KEY"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  storage: Azure Blob Storage https://crewartifacts.blob.core.windows.net, credentials from "
                       "AZURE_STORAGE_SAS_TOKEN (SAS)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  not used: AZURE_SERVICE_BUS_NAMESPACE"), std::string::npos) << r.out;
  EXPECT_EQ((r.out + r.err).find("not-shown"), std::string::npos) << "no secret value is shown";
  EXPECT_NE(r.exit_code, 2) << r.err;
}

TEST_F(CloudDetectionCli, DoctorDetectsAwsFromItsVariablesWithEndpointOverrides) {
  auto r = run({"doctor"}, {{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE0000000"},
                            {"AWS_SECRET_ACCESS_KEY", "aws-secret-not-shown"},
                            {"AWS_REGION", "eu-central-1"},
                            {"AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000"}});
  EXPECT_NE(r.out.find("  provider: aws (detected from AWS_ACCESS_KEY_ID)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  llm: Amazon Bedrock https://bedrock-runtime.eu-central-1.amazonaws.com"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  storage: Amazon S3 http://127.0.0.1:9000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("    artifacts: on the local disk; to keep them here set [artifacts] store = \"s3\" and bucket"),
            std::string::npos)
      << r.out;
  auto stored = run({"doctor"}, {{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE0000000"},
                                 {"AWS_SECRET_ACCESS_KEY", "aws-secret-not-shown"},
                                 {"AWS_REGION", "eu-central-1"},
                                 {"CODECREW_ARTIFACTS_STORE", "s3"},
                                 {"CODECREW_ARTIFACTS_BUCKET", "crew-artifacts"}});
  EXPECT_NE(stored.out.find("    artifacts: stored here, in bucket crew-artifacts"), std::string::npos) << stored.out;
  EXPECT_EQ((r.out + r.err).find("aws-secret-not-shown"), std::string::npos);
}

TEST_F(CloudDetectionCli, DoctorWithoutCloudVariablesSaysNone) {
  auto r = run({"doctor"}, {});
  EXPECT_NE(r.out.find("cloud:\n  none (no CLOUD_PROVIDER, AZURE_* or AWS_* variable is set)"), std::string::npos)
      << r.out;
}

TEST_F(CloudDetectionCli, ServeAndDoctorRefuseAMissingOrMalformedVariableNamingIt) {
  struct Case {
    std::map<std::string, std::string> env;
    std::string expected;
  };
  const Case cases[] = {
      {{{"CLOUD_PROVIDER", "aws"}, {"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE0000000"}, {"AWS_SECRET_ACCESS_KEY", "s"}},
       "AWS: AWS_REGION (or AWS_DEFAULT_REGION) is not set"},
      {{{"CLOUD_PROVIDER", "gcp"}}, "CLOUD_PROVIDER='gcp' is not one of: azure, aws"},
      {{{"AZURE_STORAGE_ACCOUNT", "Bad_Name"}}, "AZURE_STORAGE_ACCOUNT='Bad_Name' is not a storage account name"},
      {{{"CLOUD_PROVIDER", "azure"}, {"AZURE_OPENAI_ENDPOINT", "https://x.openai.azure.com/"}},
       "AZURE_OPENAI_API_KEY is not set"},
  };
  for (const auto& c : cases) {
    auto serve = run({"serve", "--port", "0", "--data-dir", dir_.str()}, c.env);
    EXPECT_EQ(serve.exit_code, 2) << c.expected << "\n" << serve.out << serve.err;
    EXPECT_NE(serve.err.find(c.expected), std::string::npos) << serve.err;
    auto doctor = run({"doctor"}, c.env);
    EXPECT_EQ(doctor.exit_code, 2) << c.expected;
    auto line = doctor.out.find(c.expected);
    ASSERT_NE(line, std::string::npos) << doctor.out;
    EXPECT_NE(doctor.out.rfind("  error: ", line), std::string::npos) << doctor.out;
  }
}

}  // namespace
}  // namespace codecrew::testing
