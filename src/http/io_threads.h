// The HTTP server's I/O threads' io_contexts: one per thread, each run by
// that thread alone, so that a connection, and the work a request starts on
// it, never changes threads (see server.h).
// Thread-safety: makeIoContexts from any thread; runsOnOneThread from any.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace codecrew::http {

// A configured thread count: `configured` when positive, else `fallback`, at
// least 1 (the server's I/O and blocking pools; 0 in the config means "pick").
int threadsOr(int configured, int fallback);

// `threads` io_contexts (0: the core count) for ServerOptions::io_contexts,
// each made for one thread (concurrency hint 1) and marked so: each must be
// run by one thread only (the server does).
std::vector<std::shared_ptr<boost::asio::io_context>> makeIoContexts(int threads);

// Whether `executor` is an io_context's from makeIoContexts: everything on it
// runs on one thread, in order, with no strand needed.
bool runsOnOneThread(const boost::asio::any_io_executor& executor);

}  // namespace codecrew::http
