// Azure Storage Shared Key: how a request to the Blob service is signed with
// a storage account's key, as Microsoft's "Authorize with Shared Key"
// describes it for service version 2015-02-21 and later:
//
//   StringToSign = VERB \n Content-Encoding \n Content-Language \n
//                  Content-Length (empty when 0) \n Content-MD5 \n Content-Type \n
//                  Date \n If-Modified-Since \n If-Match \n If-None-Match \n
//                  If-Unmodified-Since \n Range \n
//                  CanonicalizedHeaders CanonicalizedResource
//   CanonicalizedHeaders: every x-ms- header, its name lower-cased, sorted by
//     name, "name:value\n" (the value's runs of whitespace folded to one space,
//     trimmed);
//   CanonicalizedResource: "/" account, the request's encoded URI path, then
//     for each query parameter sorted by its lower-cased name
//     "\nname:value[,value...]" (values decoded, sorted);
//   Authorization: SharedKey <account>:<base64(HMAC-SHA256(base64-decoded key,
//     StringToSign))>.
//
// An Azurite-style endpoint that carries the account in its path
// (http://127.0.0.1:10000/devstoreaccount1/container/blob) signs that whole
// path after "/" account, as the service does.
// Thread-safety: pure functions.
#pragma once

#include "core/result.h"
#include "http/client/http_client.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace codecrew::cloud::azure {

using QueryParams = std::vector<std::pair<std::string, std::string>>;  // decoded, in order

std::string sharedKeyStringToSign(std::string_view account, std::string_view method, std::string_view encoded_path,
                                  const QueryParams& query, const http::Headers& headers);

// "SharedKey <account>:<signature>". kInvalidArgument when the key is not
// base64 (the message never shows the key).
core::Result<std::string> sharedKeyAuthorization(std::string_view account, std::string_view base64_key,
                                                 std::string_view string_to_sign);

// Base64 (RFC 4648, with padding) of bytes, and back; decoding refuses
// anything but a whole, padded encoding.
std::string base64Encode(std::string_view bytes);
core::Result<std::string> base64Decode(std::string_view text);

}  // namespace codecrew::cloud::azure
