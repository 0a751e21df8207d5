// Hashing and randomness backed by OpenSSL. Thread-safety: all functions are
// safe to call from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace codecrew::core {

// Lower-case hex SHA-256 of the bytes.
std::string sha256Hex(std::string_view data);

// Lower-case hex HMAC-SHA256 of data under key.
std::string hmacSha256Hex(std::string_view key, std::string_view data);

// n cryptographically random bytes, hex-encoded (2n characters).
std::string randomHex(size_t n);

// n random bytes, hex-encoded, for identifiers that must be unique but need
// not be secret (request ids, completion ids): a per-thread generator seeded
// from randomHex's source, several times cheaper. Never for keys or tokens.
std::string uniqueHex(size_t n);

// Standard base64 (RFC 4648 §4, with padding) of the bytes.
std::string base64Encode(std::string_view bytes);
// The bytes of standard padded base64; nullopt when the text is not that
// (a length that is not a multiple of 4, a character outside the alphabet).
std::optional<std::string> base64Decode(std::string_view text);

// Compares in time that depends only on the lengths, not on where they differ.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace codecrew::core
