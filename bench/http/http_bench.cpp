// Figures for the HTTP layer: router matching cost, and keep-alive request
// round trips (GET, and POST with a 1 KiB JSON body) against a local Server.
// Loopback only, port 0. Throughput under many connections is measured with
// wrk against `codecrew serve`, not here.
#include "http/router.h"
#include "http/server.h"
#include "support/http_client.h"

#include <benchmark/benchmark.h>

#include <memory>
#include <stdexcept>

namespace {

using namespace codecrew;

std::shared_ptr<http::Router> makeRouter() {
  auto router = std::make_shared<http::Router>();
  const char* collections[] = {"workflows", "executions", "conversations", "projects", "approvals"};
  for (const char* c : collections) {
    std::string base = std::string("/") + c;
    router->add("GET", base, [](http::Request&) { return http::Response::text(200, "list"); });
    router->add("POST", base, [](http::Request& req) { return http::Response::text(201, req.body); });
    router->add("GET", base + "/{id:int}", [](http::Request&) { return http::Response::text(200, "one"); });
    router->add("DELETE", base + "/{id:int}", [](http::Request&) { return http::Response::text(204, ""); });
    router->add("GET", base + "/{id:int}/items/{item:int}",
                [](http::Request&) { return http::Response::text(200, "item"); });
  }
  router->add("GET", "/health", [](http::Request&) { return http::Response::json(200, {{"status", "ok"}}); });
  return router;
}

void BM_RouterMatch(benchmark::State& state) {
  auto router = makeRouter();
  for (auto _ : state) {
    auto m = router->match("GET", "/approvals/123/items/456");
    benchmark::DoNotOptimize(m.route);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RouterMatch);

class LocalServer {
 public:
  LocalServer() {
    http::ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.io_threads = 1;
    options.blocking_threads = 2;
    server_ = std::make_unique<http::Server>(options, makeRouter());
    if (!server_->start().ok()) throw std::runtime_error("cannot start the bench server");
  }
  int port() const { return server_->port(); }

 private:
  std::unique_ptr<http::Server> server_;
};

void BM_GetKeepAlive(benchmark::State& state) {
  LocalServer server;
  testing::HttpClient client("127.0.0.1", server.port());
  for (auto _ : state) {
    auto r = client.request("GET", "/health");
    if (r.status != 200) state.SkipWithError("unexpected status");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GetKeepAlive)->UseRealTime();

void BM_PostJsonKeepAlive(benchmark::State& state) {
  LocalServer server;
  testing::HttpClient client("127.0.0.1", server.port());
  std::string body = "{\"text\":\"" + std::string(1000, 'x') + "\"}";
  for (auto _ : state) {
    auto r = client.request("POST", "/workflows", body);
    if (r.status != 201) state.SkipWithError("unexpected status");
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * int64_t(body.size()));
}
BENCHMARK(BM_PostJsonKeepAlive)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
