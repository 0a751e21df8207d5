#include "tools/builtin/builtin_tools.h"
#include "tools/builtin/schema_builder.h"

#include <algorithm>

namespace codecrew::tools {
namespace {

using boost::json::object;
using boost::json::value;
using core::Result;

Result<value> readFileTool(const object& args, ToolContext& ctx) {
  const std::string path = schema::str(args, "path");
  auto content = ctx.workspace.readFile(path);
  if (!content) return content.error();
  const auto startLine = schema::num(args, "start_line", 1);
  const auto endLine = schema::num(args, "end_line", 0);
  std::string_view text = *content;
  std::int64_t totalLines = static_cast<std::int64_t>(std::count(text.begin(), text.end(), '\n')) +
                            (!text.empty() && text.back() != '\n' ? 1 : 0);
  if (startLine > 1 || endLine > 0) {
    std::string slice;
    std::int64_t line = 1;
    std::size_t pos = 0;
    while (pos < text.size() && (endLine == 0 || line <= endLine)) {
      std::size_t end = text.find('\n', pos);
      end = end == std::string_view::npos ? text.size() : end + 1;
      if (line >= startLine) slice.append(text.substr(pos, end - pos));
      pos = end;
      ++line;
    }
    *content = std::move(slice);
  }
  return value(object{{"path", path}, {"content", *content}, {"total_lines", totalLines}});
}

Result<value> writeFileTool(const object& args, ToolContext& ctx) {
  const std::string path = schema::str(args, "path");
  const std::string content = schema::str(args, "content");
  if (auto s = ctx.workspace.writeFile(path, content); !s) return s.error();
  return value(object{{"path", path}, {"bytes_written", content.size()}});
}

Result<value> listFilesTool(const object& args, ToolContext& ctx) {
  auto listing = ctx.workspace.list({.directory = schema::str(args, "directory"),
                                     .recursive = schema::flag(args, "recursive", true),
                                     .includeIgnored = schema::flag(args, "include_ignored", false)});
  if (!listing) return listing.error();
  boost::json::array entries;
  for (const auto& e : listing->entries) {
    object entry{{"path", e.path}, {"type", entryTypeName(e.type)}};
    if (e.type == EntryType::kFile) entry["size"] = e.size;
    entries.push_back(std::move(entry));
  }
  return value(object{{"entries", std::move(entries)}, {"truncated", listing->truncated}});
}

Result<value> moveFileTool(const object& args, ToolContext& ctx) {
  const std::string from = schema::str(args, "from"), to = schema::str(args, "to");
  if (auto s = ctx.workspace.move(from, to, schema::flag(args, "overwrite", false)); !s) return s.error();
  return value(object{{"from", from}, {"to", to}});
}

Result<value> deleteFileTool(const object& args, ToolContext& ctx) {
  const std::string path = schema::str(args, "path");
  if (auto s = ctx.workspace.remove(path, schema::flag(args, "recursive", false)); !s) return s.error();
  return value(object{{"path", path}, {"deleted", true}});
}

}  // namespace

void addFileTools(ToolRegistry& registry) {
  using schema::property;
  const auto path = property("string", "Path relative to the workspace root");
  registry.add(std::make_unique<FunctionTool>(
      ToolSpec{"read_file", "Read a text file of the workspace, optionally only a range of lines.",
               schema::object({{"path", path},
                               {"start_line", schema::integer("First line to return (1-based)", 1, 100000000)},
                               {"end_line", schema::integer("Last line to return (inclusive)", 1, 100000000)}},
                              {"path"})},
      readFileTool));
  registry.add(std::make_unique<FunctionTool>(
      ToolSpec{"write_file", "Create or replace a file with the given content (parent folders are created).",
               schema::object({{"path", path}, {"content", property("string", "The complete new content")}},
                              {"path", "content"})},
      writeFileTool));
  registry.add(std::make_unique<FunctionTool>(
      ToolSpec{"list_files", "List files and folders below a folder; .gitignore'd entries are left out.",
               schema::object({{"directory", property("string", "Folder relative to the root; empty for the root")},
                               {"recursive", property("boolean", "Descend into sub-folders (default true)")},
                               {"include_ignored", property("boolean", "Also list ignored entries (default false)")}},
                              {})},
      listFilesTool));
  registry.add(std::make_unique<FunctionTool>(
      ToolSpec{"move_file", "Move or rename a file or folder inside the workspace.",
               schema::object({{"from", path},
                               {"to", path},
                               {"overwrite", property("boolean", "Replace an existing file at 'to' (default false)")}},
                              {"from", "to"})},
      moveFileTool));
  registry.add(std::make_unique<FunctionTool>(
      ToolSpec{"delete_file", "Delete a file, or a folder (recursive must be true unless it is empty).",
               schema::object({{"path", path}, {"recursive", property("boolean", "Delete a folder with its contents")}},
                              {"path"})},
      deleteFileTool));
}

}  // namespace codecrew::tools
