#include "llm/tokenizer/ranks_location.h"

#include <system_error>

namespace codecrew::llm::tokenizer {
namespace {

std::filesystem::path executableDir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return std::filesystem::current_path(ec);
  return exe.parent_path();
}

}  // namespace

std::filesystem::path resolveRanksDir(const boost::json::object* config_document, const core::EnvMap& env) {
  if (const auto it = env.find("CODECREW_TIKTOKEN_DIR"); it != env.end() && !it->second.empty()) {
    return it->second;
  }
  if (config_document != nullptr) {
    if (const auto* section = config_document->if_contains("tokenizer"); section != nullptr && section->is_object()) {
      if (const auto* dir = section->as_object().if_contains("ranks_dir");
          dir != nullptr && dir->is_string() && !dir->as_string().empty()) {
        return std::string(dir->as_string());
      }
    }
  }
  const auto exe_dir = executableDir();
  const auto beside = exe_dir / "share" / "tiktoken";
  const auto above = exe_dir.parent_path() / "share" / "tiktoken";
  std::error_code ec;
  if (!std::filesystem::is_directory(beside, ec) && std::filesystem::is_directory(above, ec)) {
    return above;
  }
  return beside;
}

std::filesystem::path ranksFile(const std::filesystem::path& dir, std::string_view encoding) {
  return dir / (std::string(encoding) + ".tiktoken");
}

}  // namespace codecrew::llm::tokenizer
