// Artifact storage against the real binary: an execution of the example
// crew with [artifacts] store = "s3" and "azure" (set by the environment)
// on the fake S3 and the fake Blob service, which check every request's
// signature as the services do. The plan's row names its object, the
// object holds the plan, GET .../content streams it back through the server
// with its checksum, and another tenant gets 404. A store that lacks what it
// needs stops the start with exit 2 naming the variable.
#include "engine_api_fixture.h"
#include "fake_blob.h"
#include "fake_s3.h"

#include "core/crypto.h"

namespace codecrew::testing {
namespace {
namespace json = boost::json;

// Runs the example to its first gate (the plan is stored by then) and
// checks the plan's artifact: its uri, the object's bytes (read by
// `object_bytes` from the fake), and the content route.
// Returns the plan's content route ("" when a check failed first).
template <typename Test>
std::string checkPlanArtifact(Test& t, const std::string& uri_prefix,
                              const std::function<std::optional<std::string>(const std::string& uri)>& object_bytes) {
  std::string route;
  [&] {
    auto wf = t.createSdlcWorkflow("stored");
    auto e = t.start(wf);
    t.waitFor(wf, e, {"waiting_approval"});
    const std::string base = "/workflows/" + std::to_string(wf) + "/artifacts";
    auto list = t.call("GET", base + "?execution_id=" + std::to_string(e));
    ASSERT_EQ(list.status, 200) << list.body;
    const json::value doc = list.json();
    const json::object* plan = nullptr;
    for (const auto& a : doc.at("artifacts").as_array())
      if (a.at("kind").as_string() == "plan") plan = &a.as_object();
    ASSERT_NE(plan, nullptr) << list.body;
    const std::string uri(plan->at("uri").as_string());
    const std::string checksum(plan->at("checksum").as_string());
    const std::string content(plan->at("content").as_string());
    EXPECT_EQ(checksum, core::sha256Hex(content));
    EXPECT_EQ(uri, uri_prefix + "tenants/" + std::to_string(t.tenantId("acme")) + "/workflows/" + std::to_string(wf) +
                       "/executions/" + std::to_string(e) + "/artifacts/" + checksum + "-plan.json");
    auto bytes = object_bytes(uri);
    ASSERT_TRUE(bytes.has_value()) << "no object for " << uri;
    EXPECT_EQ(*bytes, content);

    const std::string content_path = base + "/" + std::to_string(plan->at("id").as_int64()) + "/content";
    auto got = t.call("GET", content_path);
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(got.body, content);
    EXPECT_EQ(got.header("X-Checksum-Sha256"), checksum);
    EXPECT_EQ(got.header("Content-Type"), "application/json");
    EXPECT_EQ(t.call("GET", content_path, "", t.otherKey()).status, 404) << "another tenant's artifact does not exist";
    EXPECT_EQ(t.call("GET", base + "/999999/content").status, 404);
    route = content_path;
  }();
  return route;
}

class S3ArtifactsTest : public EngineApiTest {
 public:
  S3ArtifactsTest() {
    EXPECT_TRUE(s3_.start().ok());
    s3_.createBucket("arts", "eu-west-1");
  }
  std::map<std::string, std::string> serverEnv() const override {
    auto env = EngineApiTest::serverEnv();
    env["CODECREW_ARTIFACTS_STORE"] = "s3";
    env["CODECREW_ARTIFACTS_BUCKET"] = "arts";
    env["CODECREW_ARTIFACTS_PREFIX"] = "cc";
    env["AWS_ACCESS_KEY_ID"] = s3_.options().access_key_id;
    env["AWS_SECRET_ACCESS_KEY"] = s3_.options().secret_access_key;
    env["AWS_REGION"] = "eu-west-1";
    env["AWS_ENDPOINT_URL_S3"] = s3_.endpoint();
    return env;
  }
  const std::string& otherKey() const { return other_key_; }
  using EngineApiTest::call;
  using EngineApiTest::createSdlcWorkflow;
  using EngineApiTest::start;
  using EngineApiTest::tenantId;
  using EngineApiTest::waitFor;

  FakeS3 s3_;
};

TEST_F(S3ArtifactsTest, ThePlanIsStoredInTheBucketAndReadBackThroughTheServer) {
  checkPlanArtifact(*this, "s3://arts/cc/", [this](const std::string& uri) -> std::optional<std::string> {
    auto o = s3_.object("arts", uri.substr(std::string("s3://arts/").size()));
    if (!o) return std::nullopt;
    EXPECT_EQ(o->metadata["sha256"], core::sha256Hex(o->bytes));
    return o->bytes;
  });
  for (const auto& r : s3_.requests()) EXPECT_EQ(r.error_code, "") << r.method << " " << r.target;
}

TEST_F(S3ArtifactsTest, AStoreThatRefusesTheReadIsAServiceErrorNamingTheAction) {
  auto content = checkPlanArtifact(*this, "s3://arts/cc/",
                                   [this](const std::string& uri) -> std::optional<std::string> {
                                     auto o = s3_.object("arts", uri.substr(std::string("s3://arts/").size()));
                                     return o ? std::optional<std::string>(o->bytes) : std::nullopt;
                                   });
  ASSERT_FALSE(content.empty());
  s3_.denyAction("s3:GetObject");
  auto r = call("GET", content);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_NE(r.body.find("s3:GetObject"), std::string::npos) << r.body;
}

class LocalArtifactsTest : public EngineApiTest {
 public:
  const std::string& otherKey() const { return other_key_; }
  std::string dataDir() const { return dir_.str(); }
  using EngineApiTest::call;
  using EngineApiTest::createSdlcWorkflow;
  using EngineApiTest::start;
  using EngineApiTest::tenantId;
  using EngineApiTest::waitFor;
};

TEST_F(LocalArtifactsTest, ByDefaultArtifactsAreFilesUnderTheDataDirectoryAndAnExpiredOneIsServedFromItsRow) {
  const std::string root = dataDir() + "/artifacts/";
  auto content = checkPlanArtifact(*this, "file:", [&](const std::string& uri) -> std::optional<std::string> {
    std::ifstream in(root + uri.substr(5), std::ios::binary);
    if (!in) return std::nullopt;
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  });
  ASSERT_FALSE(content.empty());
  // The object gone (a lifecycle rule, a clean-up): the row's own copy answers.
  std::filesystem::remove_all(root + "tenants");
  auto r = call("GET", content);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(r.body.empty());
}

class AzureArtifactsTest : public EngineApiTest {
 public:
  AzureArtifactsTest() {
    EXPECT_TRUE(blob_.start().ok());
    blob_.createContainer("arts");
  }
  std::map<std::string, std::string> serverEnv() const override {
    auto env = EngineApiTest::serverEnv();
    env["CODECREW_ARTIFACTS_STORE"] = "azure";
    env["CODECREW_ARTIFACTS_BUCKET"] = "arts";
    env["AZURE_STORAGE_ACCOUNT"] = blob_.options().account;
    env["AZURE_STORAGE_KEY"] = blob_.options().key;
    env["AZURE_STORAGE_BLOB_ENDPOINT"] = blob_.baseUrl();
    return env;
  }
  const std::string& otherKey() const { return other_key_; }
  using EngineApiTest::call;
  using EngineApiTest::createSdlcWorkflow;
  using EngineApiTest::start;
  using EngineApiTest::tenantId;
  using EngineApiTest::waitFor;

  FakeBlobService blob_;
};

TEST_F(AzureArtifactsTest, ThePlanIsStoredInTheContainerAndReadBackThroughTheServer) {
  const std::string prefix = "azure://" + blob_.options().account + "/arts/";
  checkPlanArtifact(*this, prefix, [&](const std::string& uri) -> std::optional<std::string> {
    auto b = blob_.blob("arts", uri.substr(prefix.size()));
    if (!b) return std::nullopt;
    return b->bytes;
  });
  for (const auto& r : blob_.requests()) {
    EXPECT_EQ(r.auth, "shared_key");
    EXPECT_EQ(r.error_code, "") << r.method << " " << r.target;
  }
}

TEST(ArtifactStoreStart, AStoreWithoutWhatItNeedsStopsTheStartNamingIt) {
  TempDir dir;
  auto azure = runCommand(binary(), {"serve", "--data-dir", dir.str(), "--port", "0"},
                          {{"CODECREW_ARTIFACTS_STORE", "azure"},
                           {"CODECREW_ARTIFACTS_BUCKET", "arts"},
                           {"AZURE_STORAGE_ACCOUNT", ""},
                           {"AZURE_STORAGE_CONNECTION_STRING", ""}});
  EXPECT_EQ(azure.exit_code, 2);
  EXPECT_NE(azure.err.find("AZURE_STORAGE_ACCOUNT"), std::string::npos) << azure.err;
  auto s3 = runCommand(binary(), {"serve", "--data-dir", dir.str(), "--port", "0"},
                       {{"CODECREW_ARTIFACTS_STORE", "s3"},
                        {"CODECREW_ARTIFACTS_BUCKET", "arts"},
                        {"AWS_ACCESS_KEY_ID", ""},
                        {"AWS_SECRET_ACCESS_KEY", ""}});
  EXPECT_EQ(s3.exit_code, 2);
  EXPECT_NE(s3.err.find("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), std::string::npos) << s3.err;
  auto no_bucket = runCommand(binary(), {"serve", "--data-dir", dir.str(), "--port", "0"},
                              {{"CODECREW_ARTIFACTS_STORE", "s3"}, {"CODECREW_ARTIFACTS_BUCKET", ""}});
  EXPECT_EQ(no_bucket.exit_code, 2);
  EXPECT_NE(no_bucket.err.find("[artifacts] bucket"), std::string::npos) << no_bucket.err;
}

TEST(ArtifactStoreDoctor, DoctorSaysWhichStoreAndNeverASecret) {
  auto s3 = runCommand(binary(), {"doctor"},
                       {{"CODECREW_ARTIFACTS_STORE", "s3"},
                        {"CODECREW_ARTIFACTS_BUCKET", "arts"},
                        {"AWS_ACCESS_KEY_ID", "AKIDDOCTOR"},
                        {"AWS_SECRET_ACCESS_KEY", "doctor-secret-xyz"},
                        {"AWS_REGION", "eu-west-1"},
                        {"AWS_ENDPOINT_URL_S3", ""},
                        {"AWS_ENDPOINT_URL", ""}});
  EXPECT_NE(s3.exit_code, 2) << s3.err;
  EXPECT_NE(s3.out.find("store: s3, bucket arts in eu-west-1 (virtual-hosted)"), std::string::npos) << s3.out;
  EXPECT_NE(s3.out.find("access key AKIDDOCTOR (AWS_ACCESS_KEY_ID)"), std::string::npos) << s3.out;
  EXPECT_EQ(s3.out.find("doctor-secret-xyz"), std::string::npos);
  EXPECT_EQ(s3.err.find("doctor-secret-xyz"), std::string::npos);
  auto azure = runCommand(binary(), {"doctor"},
                          {{"CODECREW_ARTIFACTS_STORE", "azure"},
                           {"CODECREW_ARTIFACTS_BUCKET", "arts"},
                           {"AZURE_STORAGE_ACCOUNT", ""},
                           {"AZURE_STORAGE_CONNECTION_STRING", ""}});
  EXPECT_EQ(azure.exit_code, 2);
  EXPECT_NE(azure.err.find("AZURE_STORAGE_ACCOUNT"), std::string::npos) << azure.err;
}

}  // namespace
}  // namespace codecrew::testing
