// The engine writes each artifact's bytes to the artifact store before its
// row is committed: the row's uri names the object (a key of its content),
// and a run that failed to store resumes and writes the same object once.
#include "core/crypto.h"
#include "engine_fixture.h"
#include "storage/blob_keys.h"
#include "storage/local_blob_store.h"

namespace codecrew::engine::test {
namespace {

// The local store, failing its first `failures` writes as a throttled
// service would after its retries.
class FlakyBlobStore final : public storage::BlobStore {
 public:
  FlakyBlobStore(std::filesystem::path root, int failures) : inner_(std::move(root)), failures_(failures) {}
  std::string_view kind() const override { return "local"; }
  std::string uri(std::string_view key) const override { return inner_.uri(key); }
  boost::asio::awaitable<core::Result<storage::BlobInfo>> put(std::string key, std::string bytes,
                                                              std::string type) override {
    ++puts;
    if (failures_ > 0) {
      --failures_;
      co_return core::Error::unavailable("the store is throttling (a test fault)");
    }
    co_return inner_.putNow(key, bytes, type);
  }
  boost::asio::awaitable<core::Result<storage::BlobInfo>> head(std::string key) override {
    co_return inner_.headNow(key);
  }
  boost::asio::awaitable<core::Result<storage::BlobInfo>> get(std::string key, storage::BlobChunkSink sink) override {
    co_return inner_.getNow(key, sink);
  }
  boost::asio::awaitable<core::Status> remove(std::string key) override { co_return inner_.removeNow(key); }

  int puts = 0;

 private:
  storage::LocalBlobStore inner_;
  int failures_;
};

class ArtifactStoreTest : public EngineFixture {};

TEST_F(ArtifactStoreTest, ArtifactRowsNameTheirObjectsInTheStore) {
  auto local = std::make_shared<storage::LocalBlobStore>(dir_.path() / "artifacts");
  artifact_store_ = local;
  auto engine = makeEngine();
  auto exec = newExecution();
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kCompleted) << execution(exec).error;
  auto artifacts = store_->listArtifacts(tenant_, workflow_, exec, std::nullopt, {1, 50}).value();
  ASSERT_EQ(artifacts.total, 3);
  for (const auto& a : artifacts.items) {
    const std::string file = a.kind == "review" ? "review.md" : a.kind + ".json";
    const std::string key = storage::artifactKey(tenant_, workflow_, exec, a.checksum, file);
    EXPECT_EQ(a.uri, "file:" + key);
    EXPECT_EQ(a.checksum, core::sha256Hex(a.content));
    std::ifstream in(dir_.path() / "artifacts" / key, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    EXPECT_EQ(bytes.str(), a.content) << a.kind;
  }
}

TEST_F(ArtifactStoreTest, AFailedWriteStoresNoRowAndTheResumedRunWritesTheSameObject) {
  auto flaky = std::make_shared<FlakyBlobStore>(dir_.path() / "artifacts", 1);
  artifact_store_ = flaky;
  auto engine = makeEngine();
  auto exec = newExecution();
  auto first = run(*engine, exec);
  EXPECT_TRUE(!first.ok() || *first != RunOutcome::kCompleted);
  EXPECT_EQ(store_->listArtifacts(tenant_, workflow_, exec, std::nullopt, {1, 50}).value().total, 0);
  EXPECT_EQ(provider_->calls.load(), 1);  // the planner's

  auto again = makeEngine();
  if (execution(exec).status == store::RunStatus::kFailed)
    ASSERT_TRUE(again->prepareResume(tenant_, exec).ok()) << execution(exec).error;
  ASSERT_EQ(*run(*again, exec), RunOutcome::kCompleted) << execution(exec).error;
  auto artifacts = store_->listArtifacts(tenant_, workflow_, exec, std::nullopt, {1, 50}).value();
  EXPECT_EQ(artifacts.total, 3);
  EXPECT_EQ(flaky->puts, 4);  // the plan twice, then the two others
  // The plan's answer was checkpointed: storing it again made no model call
  // (the new engine's model answered the 7 calls after the planner's).
  EXPECT_EQ(provider_->calls.load(), 7);
}

TEST_F(ArtifactStoreTest, AFinishedWorkspaceIsArchivedWhenConfigured) {
  artifact_store_ = std::make_shared<storage::LocalBlobStore>(dir_.path() / "artifacts");
  archive_workspaces_ = true;
  auto engine = makeEngine();
  auto exec = newExecution();
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kCompleted) << execution(exec).error;
  const auto archive = dir_.path() / "artifacts" / storage::workspaceArchiveKey(tenant_, workflow_, exec);
  ASSERT_TRUE(std::filesystem::exists(archive));
  std::ifstream in(archive, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(bytes[0]), 0x1f);  // gzip
  EXPECT_EQ(static_cast<unsigned char>(bytes[1]), 0x8b);
  const std::string listing = "tar tzf " + archive.string() + " > " + (dir_.path() / "listing").string();
  ASSERT_EQ(std::system(listing.c_str()), 0);
  std::ifstream names(dir_.path() / "listing");
  std::string all((std::istreambuf_iterator<char>(names)), std::istreambuf_iterator<char>());
  EXPECT_NE(all.find("alpha.txt"), std::string::npos) << all;
  EXPECT_NE(all.find("docs/crew/plan.json"), std::string::npos) << all;
  bool noted = false;
  const auto events = store_->listEvents(tenant_, workflow_, 0, 1000).value();
  for (const auto& e : events) {
    if (e.type == "workspace.archived") {
      noted = true;
      EXPECT_EQ(e.data.at("uri").as_string(), "file:" + storage::workspaceArchiveKey(tenant_, workflow_, exec));
      EXPECT_EQ(e.data.at("sha256").as_string(), core::sha256Hex(bytes));
    }
  }
  EXPECT_TRUE(noted);
}

TEST_F(ArtifactStoreTest, NoArchiveUnlessConfigured) {
  artifact_store_ = std::make_shared<storage::LocalBlobStore>(dir_.path() / "artifacts");
  auto engine = makeEngine();
  auto exec = newExecution();
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kCompleted) << execution(exec).error;
  EXPECT_FALSE(
      std::filesystem::exists(dir_.path() / "artifacts" / storage::workspaceArchiveKey(tenant_, workflow_, exec)));
}

}  // namespace
}  // namespace codecrew::engine::test
