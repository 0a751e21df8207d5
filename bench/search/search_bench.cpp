// Text search against ripgrep on a large source tree: one run per query,
// printing wall times and match counts, for codecrew's search with its
// default threads and with one, and for ripgrep (when installed) with one
// thread and its default. Usage: search_bench [root].
#include "tools/process/child_process.h"
#include "tools/search/text_search.h"
#include "tools/workspace/local_workspace.h"

#include <chrono>
#include <cstdio>

using namespace codecrew::tools;

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void compare(const Workspace& ws, const std::string& query, bool regex) {
  auto start = std::chrono::steady_clock::now();
  auto ours = searchText(ws, {.query = query, .regex = regex, .maxResults = 10000000});
  double oursSeconds = secondsSince(start);
  start = std::chrono::steady_clock::now();
  auto oursOne = searchText(ws, {.query = query, .regex = regex, .maxResults = 10000000, .threads = 1});
  double oursOneSeconds = secondsSince(start);
  ProcessSpec rg;
  rg.argv = {"rg", "--count-matches", "--no-messages", "-j1"};
  if (!regex) rg.argv.push_back("-F");
  rg.argv.insert(rg.argv.end(), {"-e", query, ws.root()});
  rg.env = {"PATH=/usr/bin:/bin"};
  rg.maxOutputBytes = 64u << 20;
  start = std::chrono::steady_clock::now();
  auto rgRun = runProcess(rg);
  double rgSeconds = secondsSince(start);
  rg.argv.erase(rg.argv.begin() + 3);  // drop -j1: ripgrep with its default threads
  start = std::chrono::steady_clock::now();
  auto rgParallel = runProcess(rg);
  double rgParallelSeconds = secondsSince(start);
  std::size_t rgLines = 0;
  if (rgRun.ok()) {
    for (std::size_t pos = 0; (pos = rgRun->stdoutText.find(':', pos)) != std::string::npos; ++pos) {
      std::size_t end = rgRun->stdoutText.find('\n', pos);
      rgLines += std::stoul(rgRun->stdoutText.substr(pos + 1, end - pos - 1));
      pos = end;
    }
  }
  std::printf("%-8s %-40s codecrew %7.3fs (%zu matching lines, %zu files)  codecrew -j1 %7.3fs",
              regex ? "regex" : "literal", query.c_str(), oursSeconds, ours.ok() ? ours->matches.size() : 0,
              ours.ok() ? ours->filesSearched : 0, oursOneSeconds);
  if (!rgRun.ok() || !rgParallel.ok() || rgRun->exitCode > 1) {
    std::printf("  (no ripgrep: apt-get install ripgrep)\n");
    return;
  }
  std::printf("  rg -j1 %7.3fs (%zu matches)  rg %7.3fs\n", rgSeconds, rgLines, rgParallelSeconds);
}

}  // namespace

int main(int argc, char** argv) {
  std::string root = argc > 1 ? argv[1] : "/usr/include";
  auto ws = LocalWorkspace::open(root, {.maxFileBytes = 64ull << 20, .maxPathBytes = 4096, .maxListEntries = 10000000});
  if (!ws) {
    std::fprintf(stderr, "%s\n", ws.error().message.c_str());
    return 1;
  }
  auto start = std::chrono::steady_clock::now();
  auto listing = (*ws)->list({});
  std::printf("tree %s: %zu entries listed in %.3fs\n", root.c_str(), listing ? listing->entries.size() : 0,
              secondsSince(start));
  compare(**ws, "BOOST_ASIO_DECL", false);
  compare(**ws, "template <typename", false);
  compare(**ws, "^#\\s*define\\s+[A-Z_]+_H\\b", true);
  compare(**ws, "[a-z]+_cast<", true);
  return 0;
}
