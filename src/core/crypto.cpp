#include "core/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <stdexcept>

namespace codecrew::core {
namespace {

std::string toHex(const unsigned char* data, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

// SHA-256 fetched once: EVP_sha256() makes every digest look the algorithm
// up again in OpenSSL 3, which costs more than hashing a short string.
const EVP_MD* sha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md ? md : EVP_sha256();
}

}  // namespace

std::string sha256Hex(std::string_view data) {
  // One digest context per thread, reset for each hash (not allocated anew).
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 || EVP_DigestFinal_ex(ctx.get(), md, &len) != 1)
    throw std::runtime_error("SHA-256 digest failed");
  return toHex(md, len);
}

std::string hmacSha256Hex(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
            md, &len))
    throw std::runtime_error("HMAC failed");
  return toHex(md, len);
}

std::string randomHex(size_t n) {
  std::string bytes(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), int(n)) != 1)
    throw std::runtime_error("RAND_bytes failed");
  return toHex(reinterpret_cast<const unsigned char*>(bytes.data()), n);
}

std::string uniqueHex(size_t n) {
  thread_local std::mt19937_64 generator = [] {
    std::uint64_t seed[4];
    if (RAND_bytes(reinterpret_cast<unsigned char*>(seed), sizeof seed) != 1)
      throw std::runtime_error("RAND_bytes failed");
    std::seed_seq sequence{seed[0], seed[1], seed[2], seed[3]};
    return std::mt19937_64(sequence);
  }();
  std::string bytes(n, '\0');
  for (size_t i = 0; i < n; i += 8) {
    std::uint64_t word = generator();
    std::memcpy(bytes.data() + i, &word, std::min<size_t>(8, n - i));
  }
  return toHex(reinterpret_cast<const unsigned char*>(bytes.data()), n);
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(3 * (text.size() / 4), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes.
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text.size() >= 2 && text[text.size() - 2] == '=' ? 2 : 1;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

}  // namespace codecrew::core
