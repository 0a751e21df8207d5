// An Azure Storage connection string (AZURE_STORAGE_CONNECTION_STRING):
// "Key=Value" pairs separated by ';' (AccountName, AccountKey, BlobEndpoint,
// SharedAccessSignature, DefaultEndpointsProtocol, EndpointSuffix), or
// "UseDevelopmentStorage=true" for the emulator (Azurite's well-known account
// devstoreaccount1 at http://127.0.0.1:10000/devstoreaccount1).
// Thread-safety: a plain value and a pure function.
#pragma once

#include "core/result.h"

#include <string>
#include <string_view>

namespace codecrew::cloud::azure {

struct StorageConnection {
  std::string account;
  std::string key;            // base64, "" when none
  std::string sas;            // without a leading '?', "" when none
  std::string blob_endpoint;  // without a trailing '/'; built from the protocol and suffix when not given
};

// kInvalidArgument naming what is wrong (never echoing a key or token).
core::Result<StorageConnection> parseStorageConnectionString(std::string_view text);

}  // namespace codecrew::cloud::azure
