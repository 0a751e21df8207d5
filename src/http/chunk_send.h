// The HTTP/1.1 chunked framing a streamed response is written with, and a
// send of a parked stream's queued chunks that does not wait for the socket.
// Thread-safety: ChunkSizeLine is a value; sendNow uses only its arguments.
#pragma once

#include <boost/asio/buffer.hpp>

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>

namespace codecrew::http {

inline constexpr std::string_view kCrlf = "\r\n";

// An HTTP/1.1 chunk's size line ("1a2\r\n"), built without a formatter. The
// buffer points into the object: it lives as long as the line does.
class ChunkSizeLine {
 public:
  boost::asio::const_buffer of(std::size_t size);

 private:
  char text_[2 * sizeof(std::size_t) + 2];
};

// What sendNow could not send.
struct DirectSend {
  std::size_t data_bytes = 0;  // the chunks' bytes (framing aside)
  std::string rest;            // framed bytes the socket did not take, in order ("" : all sent)
};

// Sends the chunks on the socket fd with one non-blocking sendmsg, framed as
// one HTTP/1.1 chunk when `chunked`. What the socket does not take at once
// (all of it after an error, which the next blocking write will meet) is
// returned to be written before anything else.
DirectSend sendNow(int fd, const std::deque<std::string>& chunks, bool chunked);

}  // namespace codecrew::http
