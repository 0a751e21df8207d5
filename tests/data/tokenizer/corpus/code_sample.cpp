// A small ring buffer with a fixed capacity, used by the sampler.
#include <array>
#include <cstddef>
#include <optional>
#include <stdexcept>

namespace demo {

template <typename T, std::size_t N>
class RingBuffer {
 public:
  bool push(const T& value) {
    if (size_ == N) return false;
    data_[(head_ + size_) % N] = value;
    ++size_;
    return true;
  }

  std::optional<T> pop() {
    if (size_ == 0) return std::nullopt;
    T value = data_[head_];
    head_ = (head_ + 1) % N;
    --size_;
    return value;
  }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

 private:
  std::array<T, N> data_{};
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

int checksum(const char* s) {
  unsigned h = 2166136261u;
  for (; *s != '\0'; ++s) {
    h ^= static_cast<unsigned char>(*s);
    h *= 16777619u;
  }
  return static_cast<int>(h & 0x7fffffff);
}

}  // namespace demo

int main(int argc, char** argv) {
	demo::RingBuffer<int, 8> rb;
	for (int i = 0; i < 10; ++i) {
		if (!rb.push(i * i)) { std::printf("full at %d\n", i); break; }
	}
	while (auto v = rb.pop()) std::printf("%d\r\n", *v);
	return argc > 1 ? demo::checksum(argv[1]) : 0;
}
