#include <map>
#include <sstream>
#include <string>

struct ParsedRequest {
  std::string method, target, version;
  std::map<std::string, std::string> headers;
};

// Reads the request line and the header fields from the bytes a client sent.
bool parseRequest(const std::string& raw, ParsedRequest& out) {
  std::istringstream in(raw);
  std::string line;
  if (!std::getline(in, line)) return false;
  std::istringstream first(line);
  first >> out.method >> out.target >> out.version;
  while (std::getline(in, line) && line != "\r" && !line.empty()) {
    auto colon = line.find(':');
    if (colon == std::string::npos) return false;
    out.headers[line.substr(0, colon)] = line.substr(colon + 2);
  }
  return !out.method.empty();
}
