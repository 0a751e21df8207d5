// AzureBlobStore: a BlobStore on one container of Azure Blob Storage (or an
// emulator such as Azurite), over the Blob service's REST API: Put Blob (a
// BlockBlob, with the bytes' sha256 in the metadata x-ms-meta-sha256), Get
// Blob, Get Blob Properties (HEAD) and Delete Blob.
//
// Requests are authorized with the account key (Shared Key,
// cloud/azure/shared_key.h, signed afresh for each try with x-ms-date and
// x-ms-version), or with a SAS token whose query is appended to every URL.
// The endpoint is https://<account>.blob.core.windows.net unless set (an
// emulator's carries the account in its path:
// http://127.0.0.1:10000/devstoreaccount1).
//
// The service's errors (the x-ms-error-code header, else the XML body's
// <Code>) become blob_store.h's classes: BlobNotFound kNotFound;
// ContainerNotFound kFailedPrecondition naming the container and account;
// AuthenticationFailed kUnauthenticated (an expired SAS token said so);
// AuthorizationPermissionMismatch, AuthorizationFailure and the like
// kPermissionDenied naming the data action refused; ServerBusy (503) and
// 500s are tried again with backoff (Retry-After honoured), then
// kResourceExhausted / kUnavailable.
// uri(key) is "azure://<account>/<container>/<prefix><key>".
// Thread-safety: safe from any number of coroutines at once.
#pragma once

#include "storage/blob_http.h"
#include "storage/blob_store.h"

namespace codecrew::storage {

struct AzureBlobSettings {
  std::string account;
  std::string endpoint;  // the Blob service's base URL, no trailing '/'
  std::string container;
  std::string prefix;                      // prepended to every key ("" or ending in '/')
  std::string key;                         // base64 account key; "" when a SAS token is used
  std::string sas;                         // SAS token query (no leading '?'); used when key is ""
  std::string api_version = "2021-08-06";  // x-ms-version
};

class AzureBlobStore final : public BlobStore {
 public:
  AzureBlobStore(AzureBlobSettings settings, BlobHttpDeps deps);

  std::string_view kind() const override { return "azure"; }
  std::string uri(std::string_view key) const override;
  boost::asio::awaitable<core::Result<BlobInfo>> put(std::string key, std::string bytes,
                                                     std::string content_type) override;
  boost::asio::awaitable<core::Result<BlobInfo>> head(std::string key) override;
  boost::asio::awaitable<core::Result<BlobInfo>> get(std::string key, BlobChunkSink sink) override;
  boost::asio::awaitable<core::Status> remove(std::string key) override;

  const AzureBlobSettings& settings() const { return settings_; }

 private:
  // The request for `key` with its date, version and authorization.
  core::Result<http::ClientRequest> request(const std::string& method, const std::string& key, http::Headers headers,
                                            std::string body) const;
  // A non-2xx answer as blob_store.h's error; `action` names the data
  // action ("write", "read", "delete").
  core::Error failure(const RetriedResponse& r, const std::string& key, const std::string& action) const;
  BlobInfo infoOf(const std::string& key, const http::ClientResponse& r) const;

  AzureBlobSettings settings_;
  BlobHttpDeps deps_;
  std::string endpoint_path_;  // the endpoint URL's path ("" or "/devstoreaccount1")
};

}  // namespace codecrew::storage
