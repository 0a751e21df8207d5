#include "cloud/aws/aws_endpoints.h"

#include "http/client/url.h"

namespace codecrew::cloud::aws {

std::string_view awsServiceEnvSuffix(AwsService service) {
  switch (service) {
    case AwsService::kBedrockRuntime: return "BEDROCK_RUNTIME";
    case AwsService::kS3: return "S3";
  }
  return "";
}

core::Result<AwsEndpoint> awsEndpoint(AwsService service, const std::string& region, const core::EnvMap& env) {
  std::string specific = "AWS_ENDPOINT_URL_" + std::string(awsServiceEnvSuffix(service));
  for (const std::string& name : {specific, std::string("AWS_ENDPOINT_URL")}) {
    auto it = env.find(name);
    if (it == env.end() || it->second.empty()) continue;
    auto parsed = http::parseUrl(it->second);
    if (!parsed.ok()) return core::Error::invalidArgument(name + " is not a URL: " + parsed.error().message);
    std::string url = it->second;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return AwsEndpoint{url, name};
  }
  if (region.empty())
    return core::Error::invalidArgument("no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION), or " + specific);
  std::string host = service == AwsService::kS3 ? "s3." : "bedrock-runtime.";
  return AwsEndpoint{"https://" + host + region + ".amazonaws.com", "default"};
}

}  // namespace codecrew::cloud::aws
