// runBlocking: awaits a coroutine on a fresh io_context (run until it is
// done) and returns its value, for tests of the blob stores' calls.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>
#include <utility>

namespace codecrew::storage::testing {

template <typename T>
T runBlocking(boost::asio::awaitable<T> work) {
  boost::asio::io_context io(1);
  std::optional<T> out;
  std::exception_ptr failure;
  auto wrapped = [&out](boost::asio::awaitable<T> w) -> boost::asio::awaitable<void> {
    out.emplace(co_await std::move(w));
  };
  boost::asio::co_spawn(io, wrapped(std::move(work)), [&](std::exception_ptr e) { failure = e; });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*out);
}

}  // namespace codecrew::storage::testing
