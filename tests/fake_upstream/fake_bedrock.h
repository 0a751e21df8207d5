// The fake upstream's Amazon Bedrock: the Converse and ConverseStream wire
// (POST /model/{id}/converse and /converse-stream) and Titan text embeddings
// through InvokeModel (/model/{id}/invoke, one inputText a call), streams as AWS
// event-stream frames with correct CRCs, errors in Bedrock's shape (an
// x-amzn-ErrorType header and {"message": ...}), and the check of every
// request's AWS Signature Version 4 the way the service makes it: the
// signature is recomputed from the request as received with the account's
// secret key and compared, after the scope (key id, date, region, service)
// and the session token are checked.
// Thread-safety: plain values and pure functions.
#pragma once

#include "fake_reply.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace codecrew::testing {

// The AWS account the fake accepts.
struct FakeAwsAccount {
  std::string access_key_id = "AKIAFAKEBEDROCK00001";
  std::string secret_access_key = "fakeBedrockSecretKey/0123456789abcdefghij";
  std::string session_token;   // "": none expected; else X-Amz-Security-Token must equal it
  bool token_expired = false;  // the session token is rejected as expired
  std::string region = "us-east-1";
  std::string service = "bedrock";
  int max_skew_seconds = 0;  // > 0: X-Amz-Date further than this from the real clock is refused; 0: not checked
};

// Why the fake refuses a request, as Bedrock says it.
struct AwsRejection {
  int status = 403;
  std::string error_type;  // e.g. InvalidSignatureException
  std::string message;
};

// The check of a request's signature: nullopt when it is signed by the
// account for its region and service, else the service's refusal.
std::optional<AwsRejection> verifyAwsSignature(const FakeAwsAccount& account, const std::string& method,
                                               const std::string& target,
                                               const std::vector<std::pair<std::string, std::string>>& headers,
                                               const std::string& body);

// The model id of a Converse or InvokeModel path (/model/{id}/converse,
// /converse-stream, /invoke), URL-decoded; nullopt for another path.
std::optional<std::string> bedrockModelOfPath(const std::string& path);

std::string bedrockWhole(const FakeReply& reply);
// Complete event-stream messages: messageStart, content blocks, messageStop, metadata.
std::vector<std::string> bedrockStream(const FakeReply& reply);
// An exception frame (:message-type exception) of this type.
std::string bedrockStreamException(const std::string& exception_type, const std::string& message);
// The error type of a status when the reply names none (429 ThrottlingException, ...).
std::string bedrockErrorType(int status);
std::string bedrockErrorBody(const std::string& message);

}  // namespace codecrew::testing
