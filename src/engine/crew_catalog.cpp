#include "engine/crew_catalog.h"

#include "core/log.h"
#include "engine/builtin_templates.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace codecrew::engine {
namespace {

namespace fs = std::filesystem;

core::Result<std::string> readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Error::notFound("cannot read " + path.string());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Where a CrewAI project keeps agents.yaml and tasks.yaml: the folder
// itself, its config/, or src/<package>/config/ (the `crewai create crew`
// layout). Empty: not a CrewAI project.
fs::path crewAiConfigDir(const fs::path& dir) {
  auto holds = [](const fs::path& d) { return fs::exists(d / "agents.yaml") && fs::exists(d / "tasks.yaml"); };
  if (holds(dir)) return dir;
  if (holds(dir / "config")) return dir / "config";
  std::error_code ec;
  if (fs::is_directory(dir / "src", ec))
    for (const auto& pkg : fs::directory_iterator(dir / "src", ec))
      if (holds(pkg.path() / "config")) return pkg.path() / "config";
  return {};
}

core::Error atFile(const fs::path& path, const core::Error& e) {
  return core::Error::invalidArgument(path.string() + ": " + e.message);
}

}  // namespace

core::Result<CrewCatalog> CrewCatalog::builtIn() {
  CrewCatalog catalog;
  for (const auto& [name, text] : builtinCrewTemplates()) {
    auto crew = parseCrewYaml(text);
    if (!crew) return core::Error::internal("built-in crew " + name + ": " + crew.error().message);
    catalog.add(std::move(crew).value());
  }
  return catalog;
}

core::Result<CrewCatalog> CrewCatalog::withUserDirectory(const std::string& dir) {
  auto catalog = builtIn();
  if (!catalog) return catalog;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return core::Error::notFound("crew directory " + dir + " does not exist");
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(dir, ec)) entries.push_back(e.path());
  std::sort(entries.begin(), entries.end());
  for (const auto& path : entries) {
    fs::path config = fs::is_directory(path) ? crewAiConfigDir(path) : fs::path();
    if (!config.empty()) {
      auto agents = readText(config / "agents.yaml");
      auto tasks = readText(config / "tasks.yaml");
      if (!agents || !tasks) return core::Error::invalidArgument("cannot read CrewAI files in " + config.string());
      auto crew = importCrewAi(path.filename().string(), *agents, *tasks);
      if (!crew) return atFile(config, crew.error());
      for (const auto& w : crew->warnings)
        core::log::warn("CrewAI option ignored", {{"crew", crew->name}, {"path", path.string()}, {"warning", w}});
      catalog->add(std::move(crew).value());
    } else if (path.extension() == ".yaml" || path.extension() == ".yml") {
      auto text = readText(path);
      if (!text) return text.error();
      auto crew = parseCrewYaml(*text);
      if (!crew) return atFile(path, crew.error());
      catalog->add(std::move(crew).value());
    }
  }
  return catalog;
}

core::Result<CrewSpec> CrewCatalog::find(const std::string& name) const {
  auto it = crews_.find(name);
  if (it != crews_.end()) return it->second;
  std::string known;
  for (const auto& n : names()) known += (known.empty() ? "" : ", ") + n;
  return core::Error::notFound("no crew named " + name + " (known: " + known + ")");
}

std::vector<std::string> CrewCatalog::names() const {
  std::vector<std::string> out;
  for (const auto& [n, c] : crews_) out.push_back(n);
  return out;
}

void CrewCatalog::add(CrewSpec crew) {
  auto name = crew.name;
  crews_.insert_or_assign(std::move(name), std::move(crew));
}

}  // namespace codecrew::engine
