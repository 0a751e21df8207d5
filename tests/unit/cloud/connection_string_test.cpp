#include "cloud/azure/connection_string.h"

#include <gtest/gtest.h>

namespace codecrew::cloud::azure {
namespace {

TEST(StorageConnectionString, AccountAndKeyGiveThePublicEndpoint) {
  auto c = parseStorageConnectionString(
      "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=a2V5;EndpointSuffix=core.windows.net");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->account, "acme");
  EXPECT_EQ(c->key, "a2V5");
  EXPECT_EQ(c->blob_endpoint, "https://acme.blob.core.windows.net");
}

TEST(StorageConnectionString, BlobEndpointAndSas) {
  auto c = parseStorageConnectionString(
      "BlobEndpoint=https://acme.blob.core.windows.net/;SharedAccessSignature=?sv=1&sig=x");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->account, "acme");
  EXPECT_EQ(c->sas, "sv=1&sig=x");
  EXPECT_EQ(c->blob_endpoint, "https://acme.blob.core.windows.net");
}

TEST(StorageConnectionString, DevelopmentStorageIsAzurite) {
  auto c = parseStorageConnectionString("UseDevelopmentStorage=true");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->account, "devstoreaccount1");
  EXPECT_EQ(c->blob_endpoint, "http://127.0.0.1:10000/devstoreaccount1");
  EXPECT_FALSE(c->key.empty());
}

TEST(StorageConnectionString, MissingCredentialsAndGarbageAreNamed) {
  auto none = parseStorageConnectionString("AccountName=acme");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("neither an AccountKey nor a SharedAccessSignature"), std::string::npos);
  auto garbage = parseStorageConnectionString("just-a-key");
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.error().message.find("AZURE_STORAGE_CONNECTION_STRING"), std::string::npos);
}

}  // namespace
}  // namespace codecrew::cloud::azure
