#include <openssl/evp.h>

#include <string>

// Derives a slow, salted digest of a user's secret with PBKDF2-HMAC-SHA256,
// so stolen digests cannot be reversed quickly.
std::string hashPassword(const std::string& password, const std::string& salt, int iterations = 200000) {
  unsigned char out[32];
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()), iterations,
                    EVP_sha256(), sizeof out, out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

bool checkPassword(const std::string& password, const std::string& salt, const std::string& expected) {
  return hashPassword(password, salt) == expected;
}
