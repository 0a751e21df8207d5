// Fuzz target: Jira's rich text (Atlassian Document Format) to markdown:
// any JSON the parser takes (its default depth limit, as RestClient's), any
// shape of nodes, marks and attributes.
#include "fuzz_input.h"
#include "integrations/jira/adf_markdown.h"

#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  boost::system::error_code ec;
  auto value = boost::json::parse(codecrew::fuzz::asText(data, size), ec);
  if (ec) return 0;
  (void)codecrew::integrations::jira::adfToMarkdown(value);
  return 0;
}
