#include "cloud/aws/aws_credentials.h"

#include "core/log.h"

namespace codecrew::cloud::aws {

namespace {

std::string awsCredentialsEnvValue(const core::EnvMap& env, const char* name) {
  auto it = env.find(name);
  return it == env.end() ? "" : it->second;
}

}  // namespace

core::Result<AwsCredentials> awsCredentialsFromEnv(const core::EnvMap& env) {
  AwsCredentials out;
  out.access_key_id = awsCredentialsEnvValue(env, "AWS_ACCESS_KEY_ID");
  out.secret_access_key = awsCredentialsEnvValue(env, "AWS_SECRET_ACCESS_KEY");
  out.session_token = awsCredentialsEnvValue(env, "AWS_SESSION_TOKEN");
  if (out.access_key_id.empty() && out.secret_access_key.empty())
    return core::Error::notFound("no AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
  if (out.secret_access_key.empty())
    return core::Error::invalidArgument("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
  if (out.access_key_id.empty())
    return core::Error::invalidArgument("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
  core::log::registerSecret(out.secret_access_key);
  if (!out.session_token.empty()) core::log::registerSecret(out.session_token);
  return out;
}

std::string awsRegionSource(const core::EnvMap& env) {
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (!awsCredentialsEnvValue(env, name).empty()) return name;
  }
  return "";
}

std::string awsRegionFromEnv(const core::EnvMap& env) {
  auto source = awsRegionSource(env);
  return source.empty() ? "" : awsCredentialsEnvValue(env, source.c_str());
}

}  // namespace codecrew::cloud::aws
