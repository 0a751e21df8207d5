// Files as markdown code blocks, the way CrewCode answers and the way a chat
// message may carry files to a crew:
//
//   ```src/app.py
//   print("hi")
//   ```
//
// A block is a file when a word of its info string is a valid session path
// holding a '.' or a '/' ("```python src/app.py" works; "```python" alone is
// just code). Fences are three or more backticks; rendering picks a fence
// longer than any backtick run inside the content.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace codecrew::engine {

// A file in an answer: status is "added", "modified" or "deleted" (content
// empty for deleted files).
struct FileChange {
  std::string path;
  std::string status;
  std::string content;
};

// One fenced block per added or modified file, in the given order, then a
// line per deleted file. "" when there is nothing.
std::string renderFencedFiles(const std::vector<FileChange>& files);

struct FencedMessage {
  std::string text;                                        // the message with the file blocks taken out
  std::vector<std::pair<std::string, std::string>> files;  // path, content (a later block of a path wins)
};

FencedMessage extractFencedFiles(std::string_view message);

}  // namespace codecrew::engine
