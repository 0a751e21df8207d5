#include "engine/delivery.h"

#include <cctype>

namespace codecrew::engine {

namespace {

// Lower-case letters, digits and single dashes, at most `limit` characters.
std::string slug(const std::string& text, std::size_t limit) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
    if (out.size() >= limit) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

}  // namespace

std::string deliveryBranch(core::Id workflow_id, const std::string& story_key, const std::string& name) {
  std::string key = slug(story_key, 32);
  if (key.empty()) key = "wf" + std::to_string(workflow_id);
  std::string s = slug(name, 40 + key.size() + 1);
  if (s.compare(0, key.size() + 1, key + "-") == 0) s = s.substr(key.size() + 1);  // "KEY-1: ..." names
  if (s.size() > 40) s.resize(40);
  while (!s.empty() && s.back() == '-') s.pop_back();
  return "codecrew/" + key + (s.empty() || s == key ? "" : "-" + s);
}

}  // namespace codecrew::engine
