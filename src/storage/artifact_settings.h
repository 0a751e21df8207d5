// ArtifactSettings: the [artifacts] table, its environment overrides
// (CODECREW_ARTIFACTS_*) and the cloud's standard variables, resolved into
// what the configured store needs; makeArtifactStore() builds it.
//
//   store               local (default) | s3 | azure
//   bucket              the S3 bucket or Azure container (s3, azure: required)
//   prefix              S3 and Azure: prepended to every key (a '/' is added when missing)
//   region              S3 (else AWS_REGION, AWS_DEFAULT_REGION, us-east-1)
//   endpoint            S3: custom endpoint (else AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL);
//                       Azure: Blob endpoint (else AZURE_STORAGE_BLOB_ENDPOINT, the
//                       connection string's BlobEndpoint, https://<account>.blob.core.windows.net)
//   path_style          S3: path-style addressing (always with a custom endpoint)
//   archive_workspaces  store finished workspaces as workspace.tar.gz
// S3 credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and
// AWS_SESSION_TOKEN for temporary ones).
// Azure credentials: AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY or
// AZURE_STORAGE_SAS_TOKEN, or AZURE_STORAGE_CONNECTION_STRING (the separate
// variables win over its fields).
//
// loadArtifactSettings() fails with kInvalidArgument naming the key or
// variable that is missing or malformed (the process then exits 2); a
// secret's value never appears in a message.
// Thread-safety: plain values and pure functions.
#pragma once

#include "core/config.h"
#include "core/result.h"
#include "storage/azure_blob_store.h"
#include "storage/blob_http.h"
#include "storage/blob_store.h"
#include "storage/s3_blob_store.h"

#include <boost/json/object.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace codecrew::storage {

struct ArtifactSettings {
  std::string store = "local";
  std::string bucket;
  std::string prefix;
  std::string region;
  std::string endpoint;  // as configured ("" when none)
  bool path_style = false;
  bool archive_workspaces = false;
  std::filesystem::path local_root;  // <data_dir>/artifacts
  AzureBlobSettings azure;           // store == "azure"
  S3Settings s3;                     // store == "s3"
};

core::Result<ArtifactSettings> loadArtifactSettings(const boost::json::object& document, const core::EnvMap& env,
                                                    const std::filesystem::path& data_dir);

// The configured store. `deps` serves the cloud stores (unused for local).
core::Result<std::shared_ptr<BlobStore>> makeArtifactStore(const ArtifactSettings& settings, BlobHttpDeps deps);

}  // namespace codecrew::storage
