#include "http/header_text.h"

namespace codecrew::http {

namespace bhttp = boost::beast::http;

namespace {

void appendVersion(std::string& text, unsigned version) {
  text += "HTTP/";
  text += static_cast<char>('0' + version / 10);
  text += '.';
  text += static_cast<char>('0' + version % 10);
}

void appendFields(std::string& text, const bhttp::fields& fields) {
  for (const auto& field : fields) {
    text += field.name_string();
    text += ": ";
    text += field.value();
    text += "\r\n";
  }
  text += "\r\n";
}

std::size_t fieldBytes(const bhttp::fields& fields) {
  std::size_t n = 2;
  for (const auto& field : fields) n += field.name_string().size() + field.value().size() + 4;
  return n;
}

}  // namespace

std::string headerText(const bhttp::request_header<>& header) {
  std::string text;
  text.reserve(header.method_string().size() + header.target().size() + 12 + fieldBytes(header));
  text += header.method_string();
  text += ' ';
  text += header.target();
  text += ' ';
  appendVersion(text, header.version());
  text += "\r\n";
  appendFields(text, header);
  return text;
}

std::string headerText(const bhttp::response_header<>& header) {
  std::string text;
  text.reserve(header.reason().size() + 15 + fieldBytes(header));
  appendVersion(text, header.version());
  const unsigned status = header.result_int();
  text += ' ';
  text += static_cast<char>('0' + status / 100 % 10);
  text += static_cast<char>('0' + status / 10 % 10);
  text += static_cast<char>('0' + status % 10);
  text += ' ';
  text += header.reason();
  text += "\r\n";
  appendFields(text, header);
  return text;
}

}  // namespace codecrew::http
