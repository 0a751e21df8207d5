// Diff engine benchmark. Google Benchmark figures for the engine alone
// (histogram and Myers, 10k and 100k lines, few and many changes), then a
// table comparing the full unified diff against `git diff --no-index
// --histogram` on the same files, timed in one run (median of several).
// The git column includes starting the process and reading the files; the
// "git startup" row (two one-line files) shows that fixed cost. CPU columns
// (this process's CPU time; git's from the children's rusage) are steadier
// than wall time on a loaded machine.
#include "code/unified_diff.h"

#include <benchmark/benchmark.h>

#include <sys/resource.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

using codecrew::code::DiffAlgorithm;
using codecrew::code::DiffFile;
using codecrew::code::DiffOptions;

struct FilePair {
  std::string before;
  std::string after;
};

// Source-like lines with repeats (braces, blank lines, common calls), then
// `edits` random changes, insertions and deletions of one to three lines.
FilePair generate(size_t lines, size_t edits, uint32_t seed) {
  std::mt19937 rng(seed);
  auto line = [&] {
    uint32_t k = rng() % 100;
    if (k < 10) return std::string("}\n");
    if (k < 15) return std::string("\n");
    return "    call_" + std::to_string(rng() % (lines / 2 + 1)) + "(arg" + std::to_string(rng() % 10) + ");\n";
  };
  std::vector<std::string> a;
  for (size_t i = 0; i < lines; ++i) a.push_back(line());
  std::vector<std::string> b = a;
  for (size_t e = 0; e < edits; ++e) {
    size_t at = rng() % b.size();
    size_t count = 1 + rng() % 3;
    switch (rng() % 3) {
      case 0: b[at] = "    changed_" + std::to_string(e) + "();\n"; break;
      case 1:
        for (size_t i = 0; i < count; ++i) b.insert(b.begin() + static_cast<long>(at), line());
        break;
      default:
        b.erase(b.begin() + static_cast<long>(at), b.begin() + static_cast<long>(std::min(b.size(), at + count)));
    }
  }
  FilePair pair;
  for (auto& l : a) pair.before += l;
  for (auto& l : b) pair.after += l;
  return pair;
}

struct Scenario {
  const char* name;
  size_t lines;
  size_t edits;
};

const Scenario kScenarios[] = {
    {"10k lines, 10 edits", 10'000, 10},
    {"10k lines, 1000 edits", 10'000, 1'000},
    {"100k lines, 10 edits", 100'000, 10},
    {"100k lines, 10000 edits", 100'000, 10'000},
};

const FilePair& pairFor(size_t index) {
  static std::vector<FilePair> pairs = [] {
    std::vector<FilePair> out;
    uint32_t seed = 42;
    for (const auto& s : kScenarios) out.push_back(generate(s.lines, s.edits, seed++));
    return out;
  }();
  return pairs[index];
}

void engineBench(benchmark::State& state, DiffAlgorithm algorithm) {
  const FilePair& pair = pairFor(static_cast<size_t>(state.range(0)));
  DiffOptions options;
  options.algorithm = algorithm;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        codecrew::code::unifiedDiff(DiffFile{"f", pair.before}, DiffFile{"f", pair.after}, options));
  }
  state.SetLabel(kScenarios[state.range(0)].name);
}

void BM_Histogram(benchmark::State& state) { engineBench(state, DiffAlgorithm::kHistogram); }
void BM_Myers(benchmark::State& state) { engineBench(state, DiffAlgorithm::kMyers); }
BENCHMARK(BM_Histogram)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Myers)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);

struct Timing {
  double wallMs = 0;
  double cpuMs = 0;
};

double processCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double childrenCpuMs() {
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  auto ms = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) * 1e3 + static_cast<double>(tv.tv_usec) / 1e3;
  };
  return ms(ru.ru_utime) + ms(ru.ru_stime);
}

// Median wall and CPU time of `runs` calls; `cpu` reads the CPU clock that
// the work is charged to.
template <typename F>
Timing median(int runs, double (*cpu)(), F&& f) {
  std::vector<double> walls, cpus;
  for (int i = 0; i < runs; ++i) {
    double cpuStart = cpu();
    auto start = std::chrono::steady_clock::now();
    f();
    walls.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    cpus.push_back(cpu() - cpuStart);
  }
  std::sort(walls.begin(), walls.end());
  std::sort(cpus.begin(), cpus.end());
  return {walls[walls.size() / 2], cpus[cpus.size() / 2]};
}

void writeFile(const std::filesystem::path& p, const std::string& content) {
  std::ofstream(p, std::ios::binary) << content;
}

// Runs git and returns the size of its output (so the work is not skipped).
size_t runGit(const std::filesystem::path& dir) {
  std::string command = "cd '" + dir.string() + "' && git diff --no-index --histogram a b 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return 0;
  char buf[65536];
  size_t total = 0, n = 0;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) total += n;
  pclose(pipe);
  return total;
}

void compareWithGit() {
  constexpr int kRuns = 7;
  auto dir = std::filesystem::temp_directory_path() / ("codecrew-diff-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::printf("\n%-26s %10s %10s %10s %10s %9s %9s %11s %11s\n", "scenario", "ours wall", "git wall", "ours cpu",
              "git cpu", "wall x", "cpu x", "ours bytes", "git bytes");
  writeFile(dir / "a", "x\n");
  writeFile(dir / "b", "y\n");
  Timing startup = median(kRuns, childrenCpuMs, [&] { runGit(dir); });
  std::printf("%-26s %10s %10.2f %10s %10.2f\n", "git startup (1-line files)", "-", startup.wallMs, "-", startup.cpuMs);
  for (size_t i = 0; i < std::size(kScenarios); ++i) {
    const FilePair& pair = pairFor(i);
    writeFile(dir / "a", pair.before);
    writeFile(dir / "b", pair.after);
    size_t oursBytes = 0, gitBytes = 0;
    Timing ours = median(kRuns, processCpuMs, [&] {
      oursBytes = codecrew::code::unifiedDiff(DiffFile{"a", pair.before}, DiffFile{"b", pair.after}).size();
    });
    Timing git = median(kRuns, childrenCpuMs, [&] { gitBytes = runGit(dir); });
    std::printf("%-26s %10.2f %10.2f %10.2f %10.2f %9.2f %9.2f %11zu %11zu\n", kScenarios[i].name, ours.wallMs,
                git.wallMs, ours.cpuMs, git.cpuMs, git.wallMs / ours.wallMs, git.cpuMs / ours.cpuMs, oursBytes,
                gitBytes);
  }
  std::printf("(x = git time / codecrew time; above 1 means codecrew is faster)\n");
  std::filesystem::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  compareWithGit();
  return 0;
}
