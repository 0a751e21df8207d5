#include "app/otlp_post.h"

#include "core/log.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <optional>
#include <string_view>

namespace codecrew::app {
namespace {

// One io_context and one client, used by one call at a time: the pooled
// keep-alive connection lives on the io_context, which outlives the client.
struct PostState {
  explicit PostState(http::ClientOptions options) : client(std::move(options)) {}
  std::mutex mu;
  boost::asio::io_context io;
  http::BeastHttpClient client;
};

std::optional<std::chrono::milliseconds> retryAfter(const http::ClientResponse& response) {
  const auto value = response.header("Retry-After");
  if (!value || value->empty() || value->size() > 9) return std::nullopt;
  if (!std::all_of(value->begin(), value->end(), [](unsigned char c) { return std::isdigit(c) != 0; }))
    return std::nullopt;
  return std::chrono::seconds(std::stol(*value));
}

bool isContentType(const std::string& name) {
  static constexpr std::string_view kName = "content-type";
  return name.size() == kName.size() && std::equal(name.begin(), name.end(), kName.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

}  // namespace

telemetry::OtlpPost makeOtlpPost(http::ClientOptions options) {
  auto state = std::make_shared<PostState>(std::move(options));
  return [state](const std::string& url, const telemetry::OtlpHeaders& headers, const std::string& body,
                 std::chrono::milliseconds timeout) -> core::Result<telemetry::OtlpReply> {
    http::ClientRequest request;
    request.method = "POST";
    request.url = url;
    for (const auto& [name, value] : headers)
      if (!isContentType(name)) request.headers.emplace_back(name, value);
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
    request.timeouts.connect = timeout;
    request.timeouts.first_byte = timeout;
    request.timeouts.idle = timeout;
    request.timeouts.total = timeout;

    std::lock_guard lock(state->mu);
    std::optional<core::Result<http::ClientResponse>> out;
    boost::asio::co_spawn(
        state->io,
        [&]() -> boost::asio::awaitable<void> { out.emplace(co_await state->client.send(std::move(request))); },
        [](std::exception_ptr) {});
    state->io.restart();
    state->io.run();
    if (!out) return core::Error::unavailable("the request to " + url + " did not complete");
    if (!out->ok()) return out->error();
    return telemetry::OtlpReply((*out)->status, retryAfter(out->value()));
  };
}

core::Result<Tracing> makeTracing(const core::EnvMap& env, const std::string& service_version,
                                  const std::string& instance_id, http::ClientOptions options) {
  auto config = telemetry::loadOtlpConfig(env, service_version, instance_id);
  if (!config) return config.error();
  Tracing tracing;
  if (!config->enabled) {
    tracing.tracer = telemetry::Tracer::off();
    return tracing;
  }
  for (const auto& [name, value] : config->headers) core::log::registerSecret(value);
  const telemetry::Sampler sampler = config->sampler;
  tracing.exporter = std::make_shared<telemetry::OtlpExporter>(std::move(*config), makeOtlpPost(std::move(options)));
  tracing.tracer = std::make_shared<telemetry::Tracer>(tracing.exporter, sampler);
  return tracing;
}

}  // namespace codecrew::app
