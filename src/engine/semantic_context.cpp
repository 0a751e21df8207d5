#include "engine/semantic_context.h"

#include "engine/router_embedder.h"
#include "tools/semantic/repository_key.h"

#include <boost/asio/thread_pool.hpp>

namespace codecrew::engine {
namespace json = boost::json;

namespace semantic_context_detail {

core::Status readBool(const json::object& s, const char* key, bool& out) {
  if (const auto* v = s.if_contains(key)) {
    if (!v->is_bool()) return core::Error::invalidArgument(std::string("semantic.") + key + " must be true or false");
    out = v->as_bool();
  }
  return {};
}

core::Status readInt(const json::object& s, const char* key, std::int64_t minimum, std::int64_t& out) {
  if (const auto* v = s.if_contains(key)) {
    if (!v->is_int64() || v->as_int64() < minimum)
      return core::Error::invalidArgument(std::string("semantic.") + key +
                                          " must be an integer >= " + std::to_string(minimum));
    out = v->as_int64();
  }
  return {};
}

}  // namespace semantic_context_detail

std::filesystem::path indexRootFor(const std::filesystem::path& workspaces_root) {
  return workspaces_root.parent_path() / "index";
}

std::filesystem::path indexFolder(const std::filesystem::path& index_root, core::Id tenant, const std::string& key) {
  return index_root / ("t" + std::to_string(tenant)) / key;
}

core::Result<SemanticSettings> loadSemanticSettings(const json::object& document) {
  using namespace semantic_context_detail;
  SemanticSettings s;
  const auto* v = document.if_contains("semantic");
  if (!v) return s;
  if (!v->is_object()) return core::Error::invalidArgument("[semantic] must be a table");
  const auto& t = v->as_object();
  if (auto r = readBool(t, "enabled", s.enabled); !r) return r.error();
  if (auto r = readBool(t, "context", s.context); !r) return r.error();
  if (const auto* m = t.if_contains("embedding_model")) {
    if (!m->is_string()) return core::Error::invalidArgument("semantic.embedding_model must be a string");
    s.embedding_model = std::string(m->as_string());
  }
  if (auto r = readInt(t, "dimensions", 0, s.dimensions); !r) return r.error();
  if (auto r = readInt(t, "batch", 1, s.batch); !r) return r.error();
  if (auto r = readInt(t, "chunk_tokens", 32, s.chunk_tokens); !r) return r.error();
  if (auto r = readInt(t, "context_max_tokens", 0, s.context_max_tokens); !r) return r.error();
  if (const auto* c = t.if_contains("context_share")) {
    double share = c->is_double() ? c->as_double() : (c->is_int64() ? static_cast<double>(c->as_int64()) : -1);
    if (share < 0 || share > 0.5)
      return core::Error::invalidArgument("semantic.context_share must be a number from 0 to 0.5");
    s.context_share = share;
  }
  return s;
}

EmbedderFactory routerEmbedders(std::shared_ptr<llm::Router> router, const SemanticSettings& settings) {
  if (!router || settings.embedding_model.empty()) return {};
  auto pool = std::make_shared<boost::asio::thread_pool>(1);
  std::optional<std::int64_t> dims;
  if (settings.dimensions > 0) dims = settings.dimensions;
  return [router, pool, model = settings.embedding_model, dims,
          batch = static_cast<std::size_t>(settings.batch)](const llm::CallContext& context) {
    return std::make_shared<RouterEmbedder>(router, pool->get_executor(), model, dims, batch, context);
  };
}

SemanticContext::SemanticContext(std::filesystem::path index_root, SemanticSettings settings, EmbedderFactory embedders)
    : index_root_(std::move(index_root)), settings_(std::move(settings)), embedders_(std::move(embedders)) {}

core::Result<std::shared_ptr<tools::RepositorySearch>> SemanticContext::open(core::Id tenant,
                                                                             const std::string& workdir,
                                                                             const llm::CallContext& context) {
  if (!settings_.enabled)
    return core::Error{core::ErrorCode::kFailedPrecondition, "semantic indexing is off ([semantic] enabled)", nullptr};
  auto key = tools::repositoryKeyOf(workdir);
  if (!key) return key.error();
  return openKey(tenant, *key, context);
}

core::Result<std::shared_ptr<tools::RepositorySearch>> SemanticContext::openKey(core::Id tenant, const std::string& key,
                                                                                const llm::CallContext& context) {
  if (!settings_.enabled)
    return core::Error{core::ErrorCode::kFailedPrecondition, "semantic indexing is off ([semantic] enabled)", nullptr};
  auto embedder = embedders_ ? embedders_(context) : nullptr;
  const std::string model = embedder ? embedder->model() : "";
  auto folder = indexFolder(index_root_, tenant, key);
  std::shared_ptr<tools::SemanticIndex> index;
  {
    std::lock_guard lock(mu_);
    auto& slot = indexes_[folder.string() + "\n" + model];
    if (!slot) {
      tools::SemanticIndexOptions options;
      options.chunks.maxTokens = static_cast<std::size_t>(settings_.chunk_tokens);
      slot = std::make_shared<tools::SemanticIndex>(folder, model, options);
    }
    index = slot;
  }
  return std::make_shared<tools::RepositorySearch>(std::move(index), std::move(embedder));
}

}  // namespace codecrew::engine
