// The base URL of an AWS service for a region, overridable the way the AWS
// SDKs and CLI allow so that a private (VPC) endpoint or a local fake can
// stand in: AWS_ENDPOINT_URL_<SERVICE> (BEDROCK_RUNTIME, S3), else
// AWS_ENDPOINT_URL, else the public endpoint
// (https://bedrock-runtime.<region>.amazonaws.com,
// https://s3.<region>.amazonaws.com). An override must be an absolute http(s)
// URL: anything else is kInvalidArgument naming the variable. The public
// endpoint needs a region (kInvalidArgument naming AWS_REGION otherwise).
// The result has no trailing slash.
// Thread-safety: pure functions.
#pragma once

#include "core/config.h"
#include "core/result.h"

#include <string>
#include <string_view>

namespace codecrew::cloud::aws {

enum class AwsService { kBedrockRuntime, kS3 };

// "BEDROCK_RUNTIME" / "S3": the suffix of the service's endpoint variable.
std::string_view awsServiceEnvSuffix(AwsService service);

struct AwsEndpoint {
  std::string url;     // e.g. https://bedrock-runtime.us-east-1.amazonaws.com
  std::string source;  // the variable it came from, or "default"
};

core::Result<AwsEndpoint> awsEndpoint(AwsService service, const std::string& region, const core::EnvMap& env);

}  // namespace codecrew::cloud::aws
