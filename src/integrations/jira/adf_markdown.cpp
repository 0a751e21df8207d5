#include "integrations/jira/adf_markdown.h"

#include "core/time_format.h"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string_view>
#include <vector>

namespace codecrew::integrations::jira {
namespace {

namespace bj = boost::json;

std::string_view typeOf(const bj::value& node) {
  if (!node.is_object()) return {};
  const auto* t = node.as_object().if_contains("type");
  return t && t->is_string() ? std::string_view(t->as_string()) : std::string_view();
}

const bj::array* contentOf(const bj::value& node) {
  if (!node.is_object()) return nullptr;
  const auto* c = node.as_object().if_contains("content");
  return c && c->is_array() ? &c->as_array() : nullptr;
}

// attrs[key] as text (numbers too), "" when absent.
std::string attr(const bj::value& node, std::string_view key) {
  if (!node.is_object()) return "";
  const auto* attrs = node.as_object().if_contains("attrs");
  if (!attrs || !attrs->is_object()) return "";
  const auto* v = attrs->as_object().if_contains(key);
  if (!v) return "";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_uint64()) return std::to_string(v->as_uint64());
  return "";
}

bool isInlineType(std::string_view type) {
  static constexpr std::array<std::string_view, 10> kInline = {"text",       "hardBreak",   "mention",
                                                               "emoji",      "inlineCard",  "date",
                                                               "status",     "placeholder", "inlineExtension",
                                                               "mediaInline"};
  return std::find(kInline.begin(), kInline.end(), type) != kInline.end();
}

bool isListType(std::string_view type) {
  return type == "bulletList" || type == "orderedList" || type == "taskList" || type == "decisionList";
}

// Every line of `text` behind a prefix: `first` on the first line, `rest` on
// the others; an empty line gets the prefix without its trailing spaces.
std::string prefixLines(std::string_view text, std::string_view first, std::string_view rest) {
  std::string out;
  bool first_line = true;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    std::string_view prefix = first_line ? first : rest;
    if (line.empty()) prefix = prefix.substr(0, prefix.find_last_not_of(' ') + 1);
    if (!first_line) out += '\n';
    out.append(prefix).append(line);
    first_line = false;
    start = end + 1;
  }
  return out;
}

std::string trimEnd(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  return s;
}

// The longest run of `c` in text.
std::size_t longestRun(std::string_view text, char c) {
  std::size_t best = 0, run = 0;
  for (char ch : text) {
    run = ch == c ? run + 1 : 0;
    best = std::max(best, run);
  }
  return best;
}

std::string codeSpan(const std::string& text) {
  const std::string fence(longestRun(text, '`') + 1, '`');
  const bool pad = text.front() == '`' || text.back() == '`';
  return fence + (pad ? " " : "") + text + (pad ? " " : "") + fence;
}

// Text with its marks: the whitespace at either end stays outside them, so
// "**bold **" never happens.
std::string markedText(const bj::value& node) {
  const auto* t = node.as_object().if_contains("text");
  if (!t || !t->is_string() || t->as_string().empty()) return "";
  const std::string text(t->as_string());
  const auto* marks = node.as_object().if_contains("marks");
  if (!marks || !marks->is_array() || marks->as_array().empty()) return text;
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return text;
  const auto end = text.find_last_not_of(" \t") + 1;
  std::string core = text.substr(begin, end - begin);
  bool code = false, strong = false, em = false, strike = false;
  std::string href;
  for (const auto& m : marks->as_array()) {
    auto type = typeOf(m);
    if (type == "code") code = true;
    else if (type == "strong") strong = true;
    else if (type == "em") em = true;
    else if (type == "strike") strike = true;
    else if (type == "link") href = attr(m, "href");
  }
  if (code) core = codeSpan(core);
  if (em) core = "*" + core + "*";
  if (strong) core = "**" + core + "**";
  if (strike) core = "~~" + core + "~~";
  if (!href.empty()) {
    const bool angle = href.find_first_of(" ()") != std::string::npos;
    core = "[" + core + "](" + (angle ? "<" + href + ">" : href) + ")";
  }
  return text.substr(0, begin) + core + text.substr(end);
}

std::string dateText(const bj::value& node) {
  const std::string stamp = attr(node, "timestamp");
  long long ms = 0;
  auto [p, ec] = std::from_chars(stamp.data(), stamp.data() + stamp.size(), ms);
  if (stamp.empty() || ec != std::errc() || p != stamp.data() + stamp.size()) return stamp;
  return core::formatIso8601(ms).substr(0, 10);
}

// A node's own words when it has no content: attrs.text, title or url.
std::string attrText(const bj::value& node) {
  for (const char* key : {"text", "title", "url", "shortName"}) {
    auto v = attr(node, key);
    if (!v.empty()) return v;
  }
  if (node.is_object()) {
    const auto* t = node.as_object().if_contains("text");
    if (t && t->is_string()) return std::string(t->as_string());
  }
  return "";
}

std::string mediaText(const bj::value& node) {
  const std::string alt = attr(node, "alt");
  if (attr(node, "type") == "external" && !attr(node, "url").empty())
    return "![" + alt + "](" + attr(node, "url") + ")";
  return alt.empty() ? "[attachment]" : "[attachment: " + alt + "]";
}

std::string blocks(const bj::array* content);
std::string block(const bj::value& node);
std::string inlines(const bj::array* content);

std::string inlineNode(const bj::value& node) {
  const auto type = typeOf(node);
  if (type == "text") return markedText(node);
  if (type == "hardBreak") return "\n";
  if (type == "mention") {
    auto text = attr(node, "text");
    return !text.empty() ? text : "@" + attr(node, "id");
  }
  if (type == "emoji") {
    auto text = attr(node, "text");
    return !text.empty() ? text : attr(node, "shortName");
  }
  if (type == "inlineCard") {
    auto url = attr(node, "url");
    return url.empty() ? "" : "<" + url + ">";
  }
  if (type == "date") return dateText(node);
  if (type == "status") return attr(node, "text");
  if (type == "placeholder") return "";  // the editor's prompt, not content
  if (type == "mediaInline") return mediaText(node);
  if (!isInlineType(type)) {
    // A block where text was expected: its lines, run together.
    std::string text = block(node);
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
  }
  const auto* content = contentOf(node);
  return content ? inlines(content) : attrText(node);
}

// Inline content; the spaces around a hard break are dropped.
std::string inlines(const bj::array* content) {
  if (!content) return "";
  std::string raw;
  for (const auto& child : *content) raw += inlineNode(child);
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n') {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += '\n';
      while (i + 1 < raw.size() && raw[i + 1] == ' ') ++i;
    } else {
      out += raw[i];
    }
  }
  return out;
}

std::string codeBlock(const bj::value& node) {
  std::string text;
  if (const auto* content = contentOf(node))
    for (const auto& child : *content) {
      if (child.is_object())
        if (const auto* t = child.as_object().if_contains("text"); t && t->is_string()) text += t->as_string();
    }
  while (!text.empty() && text.back() == '\n') text.pop_back();
  const std::string fence(std::max<std::size_t>(3, longestRun(text, '`') + 1), '`');
  return fence + attr(node, "language") + "\n" + (text.empty() ? "" : text + "\n") + fence;
}

// A list item's blocks: a list right after a block is tight ("\n").
std::string itemBody(const bj::value& item) {
  const auto type = typeOf(item);
  if (type == "taskItem" || type == "decisionItem") return inlines(contentOf(item));
  if (type != "listItem") return block(item);
  std::string out;
  if (const auto* content = contentOf(item)) {
    for (const auto& child : *content) {
      std::string text = block(child);
      if (text.empty()) continue;
      if (!out.empty()) out += isListType(typeOf(child)) ? "\n" : "\n\n";
      out += text;
    }
  }
  return out;
}

std::string list(const bj::value& node) {
  const auto type = typeOf(node);
  long long number = 1;
  if (type == "orderedList") {
    auto order = attr(node, "order");
    std::from_chars(order.data(), order.data() + order.size(), number);
  }
  std::string out;
  const auto* content = contentOf(node);
  if (!content) return out;
  for (const auto& item : *content) {
    const auto item_type = typeOf(item);
    if (isListType(item_type)) {  // a task list nested in a task list: under the item before
      auto nested = prefixLines(list(item), "  ", "  ");
      if (!out.empty()) out += "\n";
      out += nested;
      continue;
    }
    std::string marker = "- ";
    if (type == "orderedList") marker = std::to_string(number++) + ". ";
    if (item_type == "taskItem") marker = attr(item, "state") == "DONE" ? "- [x] " : "- [ ] ";
    const std::string indent(item_type == "taskItem" ? 2 : marker.size(), ' ');
    std::string body = itemBody(item);
    if (!out.empty()) out += "\n";
    out += body.empty() ? trimEnd(marker) : prefixLines(body, marker, indent);
  }
  return out;
}

std::string escapeCell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += "<br>";
    else out += c;
  }
  return out;
}

std::string table(const bj::value& node) {
  std::vector<std::vector<std::string>> rows;
  std::size_t columns = 0;
  if (const auto* content = contentOf(node)) {
    for (const auto& row : *content) {
      std::vector<std::string> cells;
      if (const auto* row_cells = contentOf(row)) {
        for (const auto& cell : *row_cells) {
          cells.push_back(escapeCell(blocks(contentOf(cell))));
          long long span = 1;
          auto colspan = attr(cell, "colspan");
          std::from_chars(colspan.data(), colspan.data() + colspan.size(), span);
          for (long long i = 1; i < std::min(span, 64LL); ++i) cells.emplace_back();
        }
      }
      columns = std::max(columns, cells.size());
      rows.push_back(std::move(cells));
    }
  }
  if (rows.empty() || columns == 0) return "";
  auto line = [&](std::vector<std::string> cells) {
    cells.resize(columns);
    std::string out = "|";
    for (const auto& c : cells) out += c.empty() ? " |" : " " + c + " |";
    return out;
  };
  std::string out = line(rows.front()) + "\n|";
  for (std::size_t i = 0; i < columns; ++i) out += " --- |";
  for (std::size_t i = 1; i < rows.size(); ++i) out += "\n" + line(rows[i]);
  return out;
}

std::string panelLabel(const std::string& type) {
  if (type.empty() || type == "custom") return "";
  std::string label = type;
  label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
  return "**" + label + "**";
}

std::string joinBlocks(const std::string& head, const std::string& body) {
  if (head.empty()) return body;
  return body.empty() ? head : head + "\n\n" + body;
}

std::string block(const bj::value& node) {
  const auto type = typeOf(node);
  const auto* content = contentOf(node);
  if (type == "paragraph") return inlines(content);
  if (type == "heading") {
    long long level = 1;
    auto text = attr(node, "level");
    std::from_chars(text.data(), text.data() + text.size(), level);
    std::string title = inlines(content);
    std::replace(title.begin(), title.end(), '\n', ' ');
    if (title.empty()) return "";
    return std::string(static_cast<std::size_t>(std::clamp(level, 1LL, 6LL)), '#') + " " + title;
  }
  if (isListType(type)) return list(node);
  if (type == "listItem" || type == "taskItem" || type == "decisionItem") return itemBody(node);
  if (type == "codeBlock") return codeBlock(node);
  if (type == "blockquote") return prefixLines(blocks(content), "> ", "> ");
  if (type == "rule") return "---";
  if (type == "panel") return prefixLines(joinBlocks(panelLabel(attr(node, "panelType")), blocks(content)), "> ", "> ");
  if (type == "expand" || type == "nestedExpand") {
    auto title = attr(node, "title");
    return joinBlocks(title.empty() ? "" : "**" + title + "**", blocks(content));
  }
  if (type == "table") return table(node);
  if (type == "media") return mediaText(node);
  if (type == "caption") {
    auto text = inlines(content);
    return text.empty() ? "" : "*" + text + "*";
  }
  if (type == "blockCard" || type == "embedCard") {
    auto url = attr(node, "url");
    return url.empty() ? "" : "<" + url + ">";
  }
  if (isInlineType(type)) return inlineNode(node);
  // doc, layouts, bodied extensions and unknown nodes: their content as it is.
  return content ? blocks(content) : attrText(node);
}

// Blocks separated by a blank line; a run of inline nodes among them (in an
// unknown container) is a paragraph of its own.
std::string blocks(const bj::array* content) {
  if (!content) return "";
  std::vector<std::string> parts;
  bj::array run;
  auto flush = [&] {
    if (run.empty()) return;
    auto text = inlines(&run);
    if (!text.empty()) parts.push_back(std::move(text));
    run.clear();
  };
  for (const auto& child : *content) {
    if (isInlineType(typeOf(child))) {
      run.push_back(child);
      continue;
    }
    flush();
    auto text = block(child);
    if (!text.empty()) parts.push_back(std::move(text));
  }
  flush();
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += "\n\n";
    out += p;
  }
  return out;
}

}  // namespace

std::string adfToMarkdown(const bj::value& field) {
  std::string out;
  if (field.is_string()) {
    out = std::string(field.as_string());
  } else if (field.is_array()) {
    const auto& items = field.as_array();
    if (std::all_of(items.begin(), items.end(), [](const bj::value& v) { return v.is_string(); })) {
      for (const auto& item : items) {
        if (!out.empty()) out += "\n";
        out += "- " + std::string(item.as_string());
      }
    } else {
      out = blocks(&items);
    }
  } else if (field.is_object() && !typeOf(field).empty()) {
    out = block(field);
  }
  out = trimEnd(std::move(out));
  const auto begin = out.find_first_not_of('\n');
  return begin == std::string::npos ? "" : out.substr(begin);
}

}  // namespace codecrew::integrations::jira
