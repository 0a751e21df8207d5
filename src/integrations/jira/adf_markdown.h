// ADF to Markdown: Jira's rich text (the Atlassian Document Format of REST
// API v3: a JSON tree of nodes under {"type": "doc"}) as the Markdown a crew
// reads as its goal.
//
// What it renders:
//  - blocks: paragraph, heading (attrs.level), bulletList, orderedList
//    (attrs.order), taskList ("- [ ]", "- [x]"), decisionList, codeBlock
//    (fenced, attrs.language), blockquote, rule, panel (a quote headed by its
//    panelType), expand (its title in bold, then its content), table (a GFM
//    table; the first row is the header; cells' lines joined by <br>),
//    mediaSingle/mediaGroup/media ("[attachment: alt]", external images as
//    ![alt](url), a caption in italics), blockCard/embedCard (their URL);
//  - inline: text with its marks (code, strong, em, strike, link; the others
//    keep the bare text), hardBreak (a line break), mention (its text),
//    emoji (the character, else :shortName:), inlineCard (<url>), date
//    (YYYY-MM-DD, UTC), status (its text).
// An unknown node keeps its text: its content rendered as blocks or inline as
// its children are, else its attrs.text, title or url. Text is not escaped:
// the result is for reading, and Jira's own characters stay as typed.
// A JSON string (REST v2's wiki markup, a plain text field) is returned as it
// is, an array of strings as a bullet list, null or anything else as "".
// The result has no trailing newline.
// Thread-safety: pure functions.
#pragma once

#include <boost/json/value.hpp>

#include <string>

namespace codecrew::integrations::jira {

std::string adfToMarkdown(const boost::json::value& field);

}  // namespace codecrew::integrations::jira
