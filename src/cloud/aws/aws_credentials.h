// AwsCredentials: the key pair (and session token of temporary credentials)
// that signs AWS requests, and the region, read from the variables every AWS
// tool reads: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
// AWS_REGION (else AWS_DEFAULT_REGION). Nothing else is consulted (no
// ~/.aws files, no instance metadata).
//  - awsCredentialsFromEnv: kNotFound when neither key variable is set (no
//    AWS configured at all); kInvalidArgument naming the missing variable
//    when only one of the pair is set. The secret and the session token are
//    registered with core::log::registerSecret.
//  - awsRegionFromEnv: "" when neither region variable is set.
// Thread-safety: plain values and pure functions (registerSecret is
// thread-safe).
#pragma once

#include "core/config.h"
#include "core/result.h"

#include <string>

namespace codecrew::cloud::aws {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // "" for long-term keys

  bool empty() const { return access_key_id.empty() && secret_access_key.empty(); }
};

core::Result<AwsCredentials> awsCredentialsFromEnv(const core::EnvMap& env);

std::string awsRegionFromEnv(const core::EnvMap& env);

// The variable the region came from ("AWS_REGION" or "AWS_DEFAULT_REGION"), "" if none.
std::string awsRegionSource(const core::EnvMap& env);

}  // namespace codecrew::cloud::aws
