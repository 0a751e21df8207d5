// StoreCallRecorder: a CallRecorder that inserts each call with
// store::LlmCallStore::insertLlmCall on a blocking executor (the store blocks on
// disk I/O), then resumes the caller on its own executor.
// Thread-safety: safe from any coroutine; the Store is thread-safe.
#pragma once

#include "llm/record/call_recorder.h"
#include "store/llm_call_store.h"

#include <boost/asio/any_io_executor.hpp>

#include <memory>

namespace codecrew::llm {

class StoreCallRecorder final : public CallRecorder {
 public:
  StoreCallRecorder(std::shared_ptr<store::LlmCallStore> store, boost::asio::any_io_executor blocking);
  boost::asio::awaitable<core::Result<core::Id>> record(store::LlmCall call) override;

 private:
  std::shared_ptr<store::LlmCallStore> store_;
  boost::asio::any_io_executor blocking_;
};

}  // namespace codecrew::llm
