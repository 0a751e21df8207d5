// Where the .tiktoken rank files live at run time. The build writes them to
// <build dir>/share/tiktoken/; an installation keeps them in share/tiktoken/
// beside or above the bin/ directory.
// Thread-safety: a pure function of its arguments (and of the executable's path).
#pragma once

#include "core/config.h"

#include <boost/json/object.hpp>

#include <filesystem>

namespace codecrew::llm::tokenizer {

// The directory holding <encoding>.tiktoken files, by precedence: the
// environment variable CODECREW_TIKTOKEN_DIR; the configuration key
// [tokenizer] ranks_dir (from `config_document`, may be null); share/tiktoken
// next to the running executable, or ../share/tiktoken from it, whichever
// exists (the former when neither does, so error messages name a path).
std::filesystem::path resolveRanksDir(const boost::json::object* config_document, const core::EnvMap& env);

// The file for one encoding inside `dir`.
std::filesystem::path ranksFile(const std::filesystem::path& dir, std::string_view encoding);

}  // namespace codecrew::llm::tokenizer
