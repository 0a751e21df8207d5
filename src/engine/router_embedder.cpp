#include "engine/router_embedder.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <future>

namespace codecrew::engine {

RouterEmbedder::RouterEmbedder(std::shared_ptr<llm::Router> router, boost::asio::any_io_executor executor,
                               std::string model, std::optional<std::int64_t> dimensions, std::size_t max_batch,
                               llm::CallContext context, std::string role)
    : router_(std::move(router)),
      executor_(std::move(executor)),
      model_(std::move(model)),
      dimensions_(dimensions),
      max_batch_(std::max<std::size_t>(1, max_batch)),
      context_(std::move(context)),
      role_(std::move(role)) {}

std::string RouterEmbedder::model() const { return dimensions_ ? model_ + "@" + std::to_string(*dimensions_) : model_; }

core::Result<std::vector<std::vector<float>>> RouterEmbedder::embed(const std::vector<std::string>& texts) {
  llm::EmbeddingRequest request;
  request.model = model_;
  request.inputs = texts;
  request.dimensions = dimensions_;
  auto done = std::make_shared<std::promise<core::Result<llm::RoutedEmbedding>>>();
  auto answer = done->get_future();
  auto call = [router = router_, role = role_, request = std::move(request), context = context_,
               done]() mutable -> boost::asio::awaitable<void> {
    try {
      auto routed = co_await router->embed(role, std::move(request), std::move(context));
      done->set_value(std::move(routed));
    } catch (const std::exception& e) {
      done->set_value(core::Error::internal(std::string("the embeddings call failed: ") + e.what()));
    }
  };
  boost::asio::co_spawn(executor_, std::move(call), boost::asio::detached);
  auto routed = answer.get();
  if (!routed) return routed.error();
  return std::move(routed->response.vectors);
}

}  // namespace codecrew::engine
