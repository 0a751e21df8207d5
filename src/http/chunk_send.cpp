#include "http/chunk_send.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <climits>
#include <vector>

namespace codecrew::http {

boost::asio::const_buffer ChunkSizeLine::of(std::size_t size) {
  char* end = text_ + sizeof text_;
  char* p = end - 2;
  p[0] = '\r';
  p[1] = '\n';
  do {
    *--p = "0123456789abcdef"[size & 0xf];
    size >>= 4;
  } while (size != 0);
  return boost::asio::buffer(p, static_cast<std::size_t>(end - p));
}

DirectSend sendNow(int fd, const std::deque<std::string>& chunks, bool chunked) {
  DirectSend out;
  for (const auto& chunk : chunks) out.data_bytes += chunk.size();
  if (out.data_bytes == 0) return out;
  ChunkSizeLine size_line;
  std::vector<iovec> parts;
  parts.reserve(chunks.size() + 2);
  auto add = [&parts](const void* data, std::size_t size) { parts.push_back({const_cast<void*>(data), size}); };
  if (chunked) {
    auto line = size_line.of(out.data_bytes);
    add(line.data(), line.size());
  }
  for (const auto& chunk : chunks) add(chunk.data(), chunk.size());
  if (chunked) add(kCrlf.data(), kCrlf.size());
  ssize_t n = -1;
  if (parts.size() <= IOV_MAX) {
    msghdr message{};
    message.msg_iov = parts.data();
    message.msg_iovlen = parts.size();
    do {
      n = ::sendmsg(fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
  }
  std::size_t skip = n < 0 ? 0 : static_cast<std::size_t>(n);
  for (const auto& part : parts) {
    if (skip >= part.iov_len) {
      skip -= part.iov_len;
      continue;
    }
    out.rest.append(static_cast<const char*>(part.iov_base) + skip, part.iov_len - skip);
    skip = 0;
  }
  return out;
}

}  // namespace codecrew::http
