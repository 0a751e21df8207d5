// FakeBlobService: a fake Azure Blob Storage on 127.0.0.1 (port 0) for
// tests, on codecrew's own HTTP server, with the account in the path as
// Azurite has it: <baseUrl()> = http://127.0.0.1:<port>/<account>.
//
// It keeps blobs in memory and speaks the service's wire format:
//  - PUT /<account>/<container>/<blob> with x-ms-blob-type: BlockBlob: 201
//    with ETag and Last-Modified; its Content-Type and x-ms-meta-* kept.
//  - GET / HEAD: 200 with the bytes (HEAD: the head alone), Content-Type,
//    Content-Length, ETag and x-ms-meta-* headers.
//  - DELETE: 202.
//  - errors as the service writes them: the status, an x-ms-error-code
//    header and <?xml ...?><Error><Code>...</Code><Message>...</Message></Error>
//    (BlobNotFound, ContainerNotFound, AuthenticationFailed with its
//    AuthenticationErrorDetail, AuthorizationPermissionMismatch, ServerBusy
//    with Retry-After, MissingRequiredHeader, InvalidHeaderValue).
// Every request is authorized as the service does it:
//  - Shared Key: the Authorization header "SharedKey <account>:<sig>"; the
//    fake recomputes the string-to-sign from the request as received (its
//    standard headers, x-ms- headers, the encoded path and the query) with
//    its own code, signs it with the account key and compares; x-ms-date
//    and x-ms-version are required. A mismatch is 403 AuthenticationFailed
//    naming the string it signed.
//  - a service SAS (sr=c, as makeContainerSas() writes one): the fake
//    recomputes sig from the token's fields and the account key; a token
//    past its se is refused ("Signature not valid in the specified time
//    frame"), a request its sp does not permit is 403
//    AuthorizationPermissionMismatch.
// Faults: enqueueFault() answers the next requests with a status and code
// (ServerBusy 503 by default, Retry-After when given) before anything else;
// denyAction("write" | "read" | "delete") refuses that action with 403
// AuthorizationPermissionMismatch; a container that was never created is
// ContainerNotFound.
// Thread-safety: every method may be called from any thread.
#pragma once

#include "core/clock.h"
#include "core/result.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::testing {

struct FakeBlobOptions {
  std::string account = "devstoreaccount1";
  // The account key, base64 (Azurite's well-known one by default).
  std::string key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  // "Now" for SAS expiry checks (null: the system clock).
  std::shared_ptr<core::Clock> clock;
};

struct FakeBlobFault {
  int status = 503;
  std::string code = "ServerBusy";
  std::string retry_after;  // Retry-After's value, when not empty
};

struct FakeBlobRequest {
  std::string method;
  std::string target;  // path and query as received
  std::string auth;    // "shared_key", "sas" or "none"
  int status = 0;
  std::string error_code;  // what it answered, "" on success
};

struct FakeBlob {
  std::string bytes;
  std::string content_type;
  std::map<std::string, std::string> metadata;  // x-ms-meta-<name> -> value
  std::string etag;
};

class FakeBlobService {
 public:
  explicit FakeBlobService(FakeBlobOptions options = {});
  ~FakeBlobService();
  FakeBlobService(const FakeBlobService&) = delete;
  FakeBlobService& operator=(const FakeBlobService&) = delete;

  core::Status start(const std::string& host = "127.0.0.1", int port = 0);
  void stop();  // idempotent
  int port() const;
  // The Blob endpoint: "http://127.0.0.1:<port>/<account>".
  std::string baseUrl() const;
  const FakeBlobOptions& options() const;

  void createContainer(const std::string& name);
  std::optional<FakeBlob> blob(const std::string& container, const std::string& name) const;
  std::vector<std::string> blobNames(const std::string& container) const;

  void enqueueFault(FakeBlobFault fault, int count = 1);
  void denyAction(const std::string& action);
  std::vector<FakeBlobRequest> requests() const;

  // A service SAS for the container (sv=2020-12-06, sr=c), signed with the
  // account key: "sv=...&sr=c&sp=<permissions>&se=<expiry>&sig=...".
  // `expiry` is ISO 8601 UTC, e.g. "2099-01-01T00:00:00Z".
  std::string makeContainerSas(const std::string& container, const std::string& permissions,
                               const std::string& expiry) const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace codecrew::testing
