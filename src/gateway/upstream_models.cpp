#include "gateway/upstream_models.h"

#include "core/log.h"

#include <boost/json.hpp>

namespace codecrew::gateway {

namespace bj = boost::json;

namespace {

std::string trimmedBase(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

bool speaksOpenAi(const std::string& kind) {
  return kind == "openai" || kind == "groq" || kind == "openrouter" || kind == "openai_compatible";
}

}  // namespace

std::optional<http::ClientRequest> modelListRequest(const llm::ProviderConfig& p) {
  http::ClientRequest req;
  req.method = "GET";
  std::string base = trimmedBase(p.base_url);
  if (base.empty()) return std::nullopt;
  if (speaksOpenAi(p.kind)) {
    req.url = base + "/models";
    if (!p.api_key.empty()) req.headers.emplace_back("Authorization", "Bearer " + p.api_key);
  } else if (p.kind == "anthropic") {
    if (base.ends_with("/v1")) base.resize(base.size() - 3);
    req.url = base + "/v1/models?limit=1000";
    if (!p.api_key.empty()) req.headers.emplace_back("x-api-key", p.api_key);
    req.headers.emplace_back("anthropic-version", p.api_version.empty() ? "2023-06-01" : p.api_version);
  } else if (p.kind == "gemini") {
    req.url = base + "/models?pageSize=1000";
    if (!p.api_key.empty()) req.headers.emplace_back("x-goog-api-key", p.api_key);
  } else if (p.kind == "ollama") {
    req.url = base + "/api/tags";
    if (!p.api_key.empty()) req.headers.emplace_back("Authorization", "Bearer " + p.api_key);
  } else {
    return std::nullopt;
  }
  return req;
}

core::Result<std::vector<std::string>> parseModelList(const std::string& kind, std::string_view body) {
  boost::system::error_code ec;
  auto parsed = bj::parse(body, ec);
  if (ec || !parsed.is_object()) return core::Error::invalidArgument("the model list is not a JSON object");
  const auto& o = parsed.as_object();
  const bool gemini = kind == "gemini";
  const bool ollama = kind == "ollama";
  const auto* list = o.if_contains(gemini || ollama ? "models" : "data");
  if (!list || !list->is_array()) return core::Error::invalidArgument("the model list has no array of models");
  std::vector<std::string> out;
  for (const auto& v : list->as_array()) {
    const auto* m = v.if_object();
    if (!m) continue;
    const auto* id = m->if_contains(gemini || ollama ? "name" : "id");
    if (!id || !id->is_string() || id->as_string().empty()) continue;
    std::string name(id->as_string());
    if (gemini) {
      // Only models that answer generateContent; "models/x" is named "x".
      const auto* methods = m->if_contains("supportedGenerationMethods");
      bool generates = !methods || !methods->is_array();
      if (methods && methods->is_array()) {
        for (const auto& method : methods->as_array()) generates = generates || method == "generateContent";
      }
      if (!generates) continue;
      if (name.starts_with("models/")) name = name.substr(7);
    }
    out.push_back(std::move(name));
  }
  return out;
}

UpstreamModels::UpstreamModels(std::shared_ptr<http::HttpClient> client, std::vector<llm::ProviderConfig> providers,
                               std::shared_ptr<core::Clock> clock, UpstreamModelsOptions options)
    : client_(std::move(client)), providers_(std::move(providers)), clock_(std::move(clock)), options_(options) {}

boost::asio::awaitable<std::vector<UpstreamModel>> UpstreamModels::list() {
  std::vector<UpstreamModel> out;
  for (const auto& provider : providers_) {
    std::vector<std::string> models;
    bool fresh = false;
    {
      std::lock_guard lock(mu_);
      if (auto it = cache_.find(provider.name); it != cache_.end() && it->second.until > clock_->nowMillis()) {
        models = it->second.models;
        fresh = true;
      }
    }
    if (!fresh) models = co_await ask(provider);
    for (auto& m : models) out.push_back({provider.name, std::move(m)});
  }
  co_return out;
}

boost::asio::awaitable<std::vector<std::string>> UpstreamModels::ask(const llm::ProviderConfig& provider) {
  auto remember = [&](std::vector<std::string> models, std::chrono::milliseconds keep) {
    std::lock_guard lock(mu_);
    cache_[provider.name] = Cached{models, clock_->nowMillis() + keep.count()};
    return models;
  };
  auto req = client_ ? modelListRequest(provider) : std::nullopt;
  if (!req) co_return remember({}, options_.ttl);
  req->timeouts.connect = options_.timeout;
  req->timeouts.first_byte = options_.timeout;
  req->timeouts.idle = options_.timeout;
  req->timeouts.total = options_.timeout;
  auto url = req->url;
  auto answer = co_await client_->send(std::move(*req));
  std::string failure;
  if (!answer.ok()) {
    failure = answer.error().message;
  } else if (answer->status != 200) {
    failure = "status " + std::to_string(answer->status);
  } else if (auto models = parseModelList(provider.kind, answer->body); !models.ok()) {
    failure = models.error().message;
  } else {
    co_return remember(std::move(models).value(), options_.ttl);
  }
  core::log::warn("could not list a provider's models",
                  {{"provider", provider.name}, {"kind", provider.kind}, {"url", url}, {"error", failure}});
  co_return remember({}, options_.retry_after);
}

}  // namespace codecrew::gateway
