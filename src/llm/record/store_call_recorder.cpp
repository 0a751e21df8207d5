#include "llm/record/store_call_recorder.h"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace codecrew::llm {

namespace asio = boost::asio;

StoreCallRecorder::StoreCallRecorder(std::shared_ptr<store::LlmCallStore> store, asio::any_io_executor blocking)
    : store_(std::move(store)), blocking_(std::move(blocking)) {}

asio::awaitable<core::Result<core::Id>> StoreCallRecorder::record(store::LlmCall call) {
  auto home = co_await asio::this_coro::executor;
  co_await asio::post(blocking_, asio::use_awaitable);
  auto inserted = store_->insertLlmCall(call);
  co_await asio::post(home, asio::use_awaitable);
  if (!inserted.ok()) co_return inserted.error();
  co_return inserted->id;
}

}  // namespace codecrew::llm
