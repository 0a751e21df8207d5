#include "core/atomic_file.h"

#include "core/crypto.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace codecrew::core {

namespace {

Error ioError(const std::string& what, const std::filesystem::path& path, int err) {
  return Error::unavailable(what + " " + path.string() + ": " + std::strerror(err));
}

// Writes all of `bytes` to a new file and flushes it to disk.
Status writeDurably(const std::filesystem::path& path, std::string_view bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return ioError("cannot create", path, errno);
  std::size_t done = 0;
  while (done < bytes.size()) {
    auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return ioError("cannot write", path, err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    return ioError("cannot flush", path, err);
  }
  if (::close(fd) != 0) return ioError("cannot close", path, errno);
  return okStatus();
}

}  // namespace

Status writeFileAtomically(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::path tmp = path;
  tmp += ".tmp-" + uniqueHex(8);
  std::error_code ec;
  if (auto ok = writeDurably(tmp, bytes); !ok) {
    std::filesystem::remove(tmp, ec);
    return ok;
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    return Error::unavailable("cannot rename into " + path.string() + ": " + ec.message());
  }
  return okStatus();
}

}  // namespace codecrew::core
