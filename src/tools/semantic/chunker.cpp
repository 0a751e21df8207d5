#include "tools/semantic/chunker.h"

#include "core/crypto.h"

#include <algorithm>
#include <map>
#include <set>

namespace codecrew::tools {
namespace chunker_detail {

struct Piece {
  int start = 0;  // 0-based line index, inclusive
  int end = 0;    // exclusive
  std::string symbol;
  std::string kind;
};

std::vector<std::string_view> splitLines(std::string_view content) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < content.size()) {
    std::size_t nl = content.find('\n', pos);
    if (nl == std::string_view::npos) nl = content.size();
    lines.push_back(content.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

std::string_view trimmed(std::string_view s) {
  auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

// Kinds whose definitions start a chunk: the ones that have a body.
bool startsChunk(const std::string& kind) {
  static const std::set<std::string> kKinds = {"function", "method",    "class",      "struct", "interface",
                                               "enum",     "union",     "trait",      "impl",   "module",
                                               "func",     "procedure", "subroutine", "macro",  "type",
                                               "typedef",  "record",    "object",     "alias",  "implementation"};
  return kKinds.count(kind) > 0;
}

bool hashComments(const std::string& language) {
  return language == "Python" || language == "Shell" || language == "Ruby" || language == "Perl" ||
         language == "YAML" || language == "TOML" || language == "R";
}

// Whether a line is a comment or decorator that belongs to the definition below it.
bool leadsDefinition(std::string_view line, const std::string& language) {
  auto t = trimmed(line);
  if (t.empty()) return false;
  if (t.starts_with("//") || t.starts_with("/*") || t.starts_with("*") || t.starts_with("--")) return true;
  if (t.starts_with("@") || t.starts_with("#[")) return true;  // decorators, annotations, Rust attributes
  return hashComments(language) && t.starts_with("#");
}

bool isMarkdown(const std::string& language) { return language == "Markdown"; }

std::vector<Piece> markdownPieces(const std::vector<std::string_view>& lines) {
  std::vector<Piece> pieces;
  Piece current{0, 0, "", "preamble"};
  bool fenced = false;
  for (int i = 0; i < static_cast<int>(lines.size()); ++i) {
    auto t = trimmed(lines[i]);
    if (t.starts_with("```") || t.starts_with("~~~")) fenced = !fenced;
    if (!fenced && lines[i].starts_with("#")) {
      std::size_t level = lines[i].find_first_not_of('#');
      if (level != std::string_view::npos && level <= 6 && lines[i][level] == ' ') {
        current.end = i;
        pieces.push_back(current);
        current = Piece{i, i, std::string(trimmed(lines[i].substr(level))), "heading"};
      }
    }
  }
  current.end = static_cast<int>(lines.size());
  pieces.push_back(current);
  return pieces;
}

std::vector<Piece> codePieces(const std::vector<std::string_view>& lines, std::vector<Symbol> symbols,
                              const std::string& language) {
  std::sort(symbols.begin(), symbols.end(), [](const Symbol& a, const Symbol& b) { return a.line < b.line; });
  std::map<int, const Symbol*> starts;  // 0-based line -> first container definition there
  for (const auto& s : symbols) {
    if (!startsChunk(s.kind) || s.line < 1 || s.line > static_cast<int>(lines.size())) continue;
    starts.emplace(s.line - 1, &s);
  }
  std::vector<Piece> pieces;
  int previous = 0;
  Piece current{0, 0, "", "preamble"};
  for (const auto& [line, symbol] : starts) {
    int begin = line;
    while (begin > previous && leadsDefinition(lines[begin - 1], language)) --begin;
    if (begin < current.start) begin = current.start;
    current.end = begin;
    pieces.push_back(current);
    std::string name = symbol->scope.empty() ? symbol->name : symbol->scope + "::" + symbol->name;
    current = Piece{begin, begin, std::move(name), symbol->kind};
    previous = line + 1;
  }
  current.end = static_cast<int>(lines.size());
  pieces.push_back(current);
  return pieces;
}

std::string joinLines(const std::vector<std::string_view>& lines, int start, int end) {
  std::string out;
  for (int i = start; i < end; ++i) {
    out.append(lines[i]);
    out += '\n';
  }
  return out;
}

}  // namespace chunker_detail

std::string languageOfPath(std::string_view path) {
  static const std::map<std::string, std::string, std::less<>> kByExtension = {{".c", "C"},
                                                                               {".h", "C++"},
                                                                               {".hpp", "C++"},
                                                                               {".hh", "C++"},
                                                                               {".cc", "C++"},
                                                                               {".cpp", "C++"},
                                                                               {".cxx", "C++"},
                                                                               {".py", "Python"},
                                                                               {".go", "Go"},
                                                                               {".rs", "Rust"},
                                                                               {".js", "JavaScript"},
                                                                               {".jsx", "JavaScript"},
                                                                               {".mjs", "JavaScript"},
                                                                               {".ts", "TypeScript"},
                                                                               {".tsx", "TypeScript"},
                                                                               {".java", "Java"},
                                                                               {".kt", "Kotlin"},
                                                                               {".rb", "Ruby"},
                                                                               {".php", "PHP"},
                                                                               {".cs", "C#"},
                                                                               {".swift", "Swift"},
                                                                               {".scala", "Scala"},
                                                                               {".sh", "Shell"},
                                                                               {".bash", "Shell"},
                                                                               {".pl", "Perl"},
                                                                               {".r", "R"},
                                                                               {".sql", "SQL"},
                                                                               {".md", "Markdown"},
                                                                               {".markdown", "Markdown"},
                                                                               {".yaml", "YAML"},
                                                                               {".yml", "YAML"},
                                                                               {".toml", "TOML"},
                                                                               {".json", "JSON"},
                                                                               {".html", "HTML"},
                                                                               {".css", "CSS"},
                                                                               {".txt", "Text"},
                                                                               {".rst", "Text"},
                                                                               {".cmake", "CMake"}};
  auto slash = path.rfind('/');
  auto name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (name == "CMakeLists.txt") return "CMake";
  if (name == "Makefile") return "Make";
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  std::string ext(name.substr(dot));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  auto it = kByExtension.find(ext);
  return it == kByExtension.end() ? "" : it->second;
}

std::string chunkIdOf(std::string_view path, int startLine, std::string_view text) {
  std::string material(path);
  material += '\0';
  material += std::to_string(startLine);
  material += '\0';
  material.append(text);
  return core::sha256Hex(material).substr(0, 16);
}

std::vector<CodeChunk> chunkFile(std::string_view path, std::string_view content, const std::vector<Symbol>& symbols,
                                 const ChunkOptions& options) {
  using namespace chunker_detail;
  const std::string language = languageOfPath(path);
  auto lines = splitLines(content);
  std::vector<Symbol> own;
  for (const auto& s : symbols)
    if (s.path == path) own.push_back(s);
  std::vector<Piece> pieces = isMarkdown(language) ? markdownPieces(lines) : codePieces(lines, own, language);
  auto count = [&](std::string_view text) {
    return options.countTokens ? options.countTokens(text) : estimateTokens(text);
  };
  const std::size_t bound = std::max<std::size_t>(options.maxTokens, 16);
  std::vector<CodeChunk> out;
  auto emit = [&](int start, int end, const Piece& piece, bool windowed) {
    std::string text = joinLines(lines, start, end);
    if (trimmed(text).empty()) return;
    CodeChunk chunk;
    chunk.path = std::string(path);
    chunk.startLine = start + 1;
    chunk.endLine = end;
    chunk.symbol = piece.symbol;
    chunk.kind = piece.kind.empty() || (windowed && piece.symbol.empty()) ? "window" : piece.kind;
    chunk.language = language;
    chunk.id = chunkIdOf(path, chunk.startLine, text);
    chunk.text = std::move(text);
    out.push_back(std::move(chunk));
  };
  for (const auto& piece : pieces) {
    if (piece.end <= piece.start) continue;
    if (count(joinLines(lines, piece.start, piece.end)) <= bound) {
      emit(piece.start, piece.end, piece, false);
      continue;
    }
    int start = piece.start;
    while (start < piece.end) {
      int end = start;
      std::size_t tokens = 0;
      while (end < piece.end) {
        std::size_t t = count(lines[end]) + 1;
        if (end > start && tokens + t > bound) break;
        tokens += t;
        ++end;
      }
      emit(start, end, piece, true);
      start = end;
    }
  }
  return out;
}

}  // namespace codecrew::tools
