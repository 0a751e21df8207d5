// headerText: an HTTP/1.x message header (start line, fields, blank line) as
// the bytes Beast's serializer would write for it, in one string.
//
// Writing a header this way and the body beside it in one gather write costs
// a fraction of bhttp::async_write, which walks the serializer's buffer
// sequence (four buffers a field) through Asio's write operation several
// times per call; on the gateway's path that walk was about a tenth of the
// instructions. The header must already be complete (Content-Length or
// chunked set, keep-alive applied): this only lays it out.
#pragma once

#include <boost/beast/http/message.hpp>

#include <string>

namespace codecrew::http {

std::string headerText(const boost::beast::http::request_header<>& header);
std::string headerText(const boost::beast::http::response_header<>& header);

}  // namespace codecrew::http
