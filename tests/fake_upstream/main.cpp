// fake_upstream: the fake LLM server as a standalone program, for benchmarks
// and manual tests. Prints "http://127.0.0.1:<port>" as the first line of
// standard output once it listens, then serves until SIGINT/SIGTERM.
//   fake_upstream [--host H] [--port N] [--latency-ms N] [--threads N]
#include "fake_upstream.h"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include <unistd.h>

namespace {

volatile std::sig_atomic_t g_stop = 0;
void onSignal(int) { g_stop = 1; }

}  // namespace

int main(int argc, char** argv) {
  codecrew::testing::FakeUpstreamOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << arg << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--host") {
      options.host = value();
    } else if (arg == "--port") {
      options.port = std::stoi(value());
    } else if (arg == "--latency-ms") {
      options.latency_ms = std::stoi(value());
    } else if (arg == "--threads") {
      options.threads = std::stoi(value());
    } else if (arg == "--help" || arg == "-h") {
      std::cout << "usage: fake_upstream [--host H] [--port N] [--latency-ms N] [--threads N]\n";
      return 0;
    } else {
      std::cerr << "unknown option " << arg << "\n";
      return 2;
    }
  }
  codecrew::testing::FakeUpstream upstream(options);
  auto started = upstream.start();
  if (!started.ok()) {
    std::cerr << started.error().message << "\n";
    return 1;
  }
  std::cout << "http://" << options.host << ":" << upstream.port() << std::endl;
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  while (!g_stop) pause();
  upstream.stop();
  return 0;
}
