// fake_otlp: the fake OTLP collector (fake_otlp.h) as a standalone program,
// for integration tests that run codecrew as a process and for manual runs.
// Prints "http://<host>:<port>" (the value for OTEL_EXPORTER_OTLP_ENDPOINT)
// as the first line of standard output once it listens, then serves until
// SIGINT/SIGTERM. Read the spans back with GET /spans; script faults with
// POST /_fake/faults.
//   fake_otlp [--host H] [--port N]
#include "fake_otlp.h"

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include <unistd.h>

namespace {

volatile std::sig_atomic_t g_stop = 0;
void onSignal(int) { g_stop = 1; }

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  int port = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << arg << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--host") {
      host = value();
    } else if (arg == "--port") {
      port = std::stoi(value());
    } else if (arg == "--help" || arg == "-h") {
      std::cout << "usage: fake_otlp [--host H] [--port N]\n";
      return 0;
    } else {
      std::cerr << "unknown option " << arg << "\n";
      return 2;
    }
  }
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  codecrew::testing::FakeOtlpCollector collector;
  auto started = collector.start(host, port);
  if (!started.ok()) {
    std::cerr << started.error().message << "\n";
    return 1;
  }
  std::cout << collector.baseUrl() << std::endl;
  while (!g_stop) pause();
  collector.stop();
  return 0;
}
