// putBuffered: feeds a Beast parser the bytes a buffer already holds, without
// reading the socket. A message's body usually arrives with its header (and a
// stream's events together); parsing them in place saves an asynchronous read
// that would complete through the scheduler with nothing to read. Used by the
// server (request bodies) and the client (answers).
#pragma once

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

#include <cstddef>

namespace codecrew::http {

// One step of `parser` over what `buffer` holds (Beast's parser stops after
// each element: the header, a chunk's size line, a piece of body), consuming
// the bytes it used; returns how many. `ec` is cleared when the buffer ran out
// mid-element (need_more: read, then call again), else it is the parser's.
template <class Parser, class DynamicBuffer>
std::size_t putBuffered(Parser& parser, DynamicBuffer& buffer, boost::beast::error_code& ec) {
  ec = {};
  if (buffer.size() == 0) return 0;
  const std::size_t used = parser.put(buffer.data(), ec);
  buffer.consume(used);
  if (ec == boost::beast::http::error::need_more) ec = {};
  return used;
}

}  // namespace codecrew::http
