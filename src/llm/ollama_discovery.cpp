#include "llm/ollama_discovery.h"

#include "core/log.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <optional>

namespace codecrew::llm {

namespace bj = boost::json;

core::Result<std::vector<std::string>> parseOllamaTags(std::string_view body) {
  boost::system::error_code ec;
  auto doc = bj::parse(body, ec);
  const auto* o = ec ? nullptr : doc.if_object();
  const auto* models = o ? o->if_contains("models") : nullptr;
  if (!models || !models->is_array())
    return core::Error::invalidArgument("Ollama's /api/tags answer has no \"models\" list");
  std::vector<std::string> names;
  for (const auto& m : models->as_array()) {
    const auto* entry = m.if_object();
    const auto* name = entry ? entry->if_contains("name") : nullptr;
    if (!name || !name->is_string() || name->as_string().empty())
      return core::Error::invalidArgument("an entry of Ollama's /api/tags answer has no name");
    names.emplace_back(name->as_string());
  }
  return names;
}

namespace {

core::Result<http::ClientResponse> getTags(const std::string& url, const http::ClientOptions& options) {
  boost::asio::io_context io;
  http::BeastHttpClient client(options);
  http::ClientRequest request;
  request.url = url;
  request.timeouts.connect = std::chrono::seconds(3);
  request.timeouts.first_byte = std::chrono::seconds(5);
  request.timeouts.total = std::chrono::seconds(8);
  std::optional<core::Result<http::ClientResponse>> out;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await client.send(std::move(request))); },
      [](std::exception_ptr) {});
  io.run();
  if (!out) return core::Error::unavailable("the request to " + url + " did not complete");
  return std::move(*out);
}

}  // namespace

void discoverOllamaModels(LlmConfig& config, const http::ClientOptions& options) {
  for (auto& p : config.providers) {
    if (p.kind != "ollama" || !p.models.empty()) continue;
    std::string base = p.base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    const std::string url = base + "/api/tags";
    auto response = getTags(url, options);
    core::Result<std::vector<std::string>> names = core::Error::unavailable("");
    if (!response) {
      names = response.error();
    } else if (response->status != 200) {
      names = core::Error::unavailable("HTTP " + std::to_string(response->status));
    } else {
      names = parseOllamaTags(response->body);
    }
    if (!names) {
      core::log::warn(
          "could not list Ollama's models; crews have no Ollama model until it is reachable or "
          "[providers." +
              p.name + "] models is set",
          {{"provider", p.name}, {"url", url}, {"error", names.error().message}});
      continue;
    }
    p.models = std::move(names).value();
    bj::array listed;
    for (const auto& m : p.models) listed.emplace_back(m);
    core::log::info("Ollama models discovered", {{"provider", p.name}, {"models", std::move(listed)}});
  }
}

}  // namespace codecrew::llm
