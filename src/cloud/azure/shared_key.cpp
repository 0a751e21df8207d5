#include "cloud/azure/shared_key.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <map>

namespace codecrew::cloud::azure {
namespace {

std::string lowerCase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

// A header's value with its whitespace runs folded to one space and trimmed.
std::string foldedValue(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string standardHeader(const http::Headers& headers, std::string_view name) {
  auto v = http::findHeader(headers, name);
  if (!v) return "";
  if (lowerCase(name) == "content-length" && *v == "0") return "";
  return *v;
}

}  // namespace

std::string sharedKeyStringToSign(std::string_view account, std::string_view method, std::string_view encoded_path,
                                  const QueryParams& query, const http::Headers& headers) {
  static constexpr std::string_view kStandard[] = {
      "Content-Encoding",  "Content-Language", "Content-Length", "Content-MD5",         "Content-Type", "Date",
      "If-Modified-Since", "If-Match",         "If-None-Match",  "If-Unmodified-Since", "Range"};
  std::string s(method);
  s += '\n';
  for (auto name : kStandard) {
    s += standardHeader(headers, name);
    s += '\n';
  }
  std::map<std::string, std::string> ms;
  for (const auto& [name, value] : headers) {
    auto lower = lowerCase(name);
    if (!lower.starts_with("x-ms-")) continue;
    auto& slot = ms[lower];
    slot = slot.empty() ? foldedValue(value) : slot + "," + foldedValue(value);
  }
  for (const auto& [name, value] : ms) s += name + ":" + value + "\n";
  s += "/";
  s += account;
  s += encoded_path.empty() ? std::string_view("/") : encoded_path;
  std::map<std::string, std::vector<std::string>> params;
  for (const auto& [name, value] : query) params[lowerCase(name)].push_back(value);
  for (auto& [name, values] : params) {
    std::sort(values.begin(), values.end());
    s += "\n" + name + ":";
    for (std::size_t i = 0; i < values.size(); ++i) s += (i ? "," : "") + values[i];
  }
  return s;
}

core::Result<std::string> sharedKeyAuthorization(std::string_view account, std::string_view base64_key,
                                                 std::string_view string_to_sign) {
  auto key = base64Decode(base64_key);
  if (!key || key->empty())
    return core::Error::invalidArgument("the storage account key of " + std::string(account) +
                                        " is not base64 (copy it whole from the portal's Access keys)");
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key->data(), int(key->size()), reinterpret_cast<const unsigned char*>(string_to_sign.data()),
            string_to_sign.size(), mac, &len))
    return core::Error::internal("HMAC-SHA256 failed");
  return "SharedKey " + std::string(account) + ":" +
         base64Encode(std::string_view(reinterpret_cast<const char*>(mac), len));
}

std::string base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), int(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

core::Result<std::string> base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return core::Error::invalidArgument("not base64: the length is not a multiple of 4");
  for (char c : text)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '='))
      return core::Error::invalidArgument("not base64: an unexpected character");
  std::string out(3 * (text.size() / 4), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), int(text.size()));
  if (n < 0) return core::Error::invalidArgument("not base64");
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

}  // namespace codecrew::cloud::azure
