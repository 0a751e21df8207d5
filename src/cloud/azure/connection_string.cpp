#include "cloud/azure/connection_string.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace codecrew::cloud::azure {
namespace {

constexpr const char* kDevAccount = "devstoreaccount1";
constexpr const char* kDevKey =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

std::string lowered(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

core::Result<StorageConnection> parseStorageConnectionString(std::string_view text) {
  std::map<std::string, std::string> fields;  // lower-cased names
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    auto part = trimmed(text.substr(start, end - start));
    start = end + 1;
    if (part.empty()) continue;
    auto eq = part.find('=');
    if (eq == std::string::npos || eq == 0)
      return core::Error::invalidArgument(
          "AZURE_STORAGE_CONNECTION_STRING is not a connection string: expected Name=Value pairs separated by ';'");
    fields[lowered(trimmed(part.substr(0, eq)))] = trimmed(part.substr(eq + 1));
  }
  StorageConnection c;
  if (auto it = fields.find("usedevelopmentstorage"); it != fields.end() && lowered(it->second) == "true") {
    c.account = kDevAccount;
    c.key = kDevKey;
    c.blob_endpoint = std::string("http://127.0.0.1:10000/") + kDevAccount;
  }
  auto field = [&](const char* name) -> std::string {
    auto it = fields.find(name);
    return it == fields.end() ? "" : it->second;
  };
  if (auto v = field("accountname"); !v.empty()) c.account = v;
  if (auto v = field("accountkey"); !v.empty()) c.key = v;
  if (auto v = field("sharedaccesssignature"); !v.empty()) c.sas = v.front() == '?' ? v.substr(1) : v;
  if (auto v = field("blobendpoint"); !v.empty()) c.blob_endpoint = v;
  while (!c.blob_endpoint.empty() && c.blob_endpoint.back() == '/') c.blob_endpoint.pop_back();
  if (c.blob_endpoint.empty()) {
    if (c.account.empty())
      return core::Error::invalidArgument("AZURE_STORAGE_CONNECTION_STRING names no AccountName and no BlobEndpoint");
    std::string protocol = field("defaultendpointsprotocol");
    std::string suffix = field("endpointsuffix");
    c.blob_endpoint = (protocol.empty() ? "https" : protocol) + "://" + c.account + ".blob." +
                      (suffix.empty() ? "core.windows.net" : suffix);
  }
  if (c.account.empty()) {
    // The account is the endpoint's first host label (https://<account>.blob...).
    auto scheme = c.blob_endpoint.find("://");
    auto host_start = scheme == std::string::npos ? 0 : scheme + 3;
    auto dot = c.blob_endpoint.find('.', host_start);
    if (dot != std::string::npos) c.account = c.blob_endpoint.substr(host_start, dot - host_start);
  }
  if (c.key.empty() && c.sas.empty())
    return core::Error::invalidArgument(
        "AZURE_STORAGE_CONNECTION_STRING has neither an AccountKey nor a SharedAccessSignature");
  return c;
}

}  // namespace codecrew::cloud::azure
