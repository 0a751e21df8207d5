// events_bench: one codecrew HTTP server (the real SSE route, SQLite event
// log, in-process hub) in this process, and a forked client process holding
// N SSE connections to one workflow on loopback (epoll, one thread). The
// server appends events stamped with CLOCK_MONOTONIC; the client records
// when each arrives on each connection.
//   phase "paced": E events at R per second (delay when not saturated)
//   phase "burst": E events appended back to back (throughput)
// Reports deliveries per second and the p50/p99/max delay from creation to
// arrival. Bounded: every wait has a deadline.
// Usage: events_bench [subscribers=10000] [paced_events=100] [rate=20] [burst_events=100]
#include "api/routes.h"
#include "events/event_log.h"
#include "events/local_event_hub.h"
#include "http/server.h"
#include "store/store_factory.h"

#include "core/log.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace codecrew;

std::int64_t monoNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void raiseFileLimit() {
  rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
}

struct Options {
  int subscribers = 10000;
  int paced = 100;
  int rate = 20;
  int burst = 100;
};

// What the client process sends back per phase.
struct PhaseResult {
  std::int64_t deliveries = 0;
  std::int64_t first_ns = 0, last_ns = 0;  // first and last arrival
  std::int64_t p50 = 0, p99 = 0, max = 0;  // delay, ns
  int complete = 0;                        // connections that got every event of the phase
};

// ---- client process --------------------------------------------------------

struct Conn {
  int fd = -1;
  std::string pending;
  int received = 0;
};

// Reads every connection until each has `target` events or the deadline.
void readUntil(int ep, std::vector<Conn>& conns, int target, std::int64_t deadline_ns,
               std::vector<std::int64_t>& delays, PhaseResult& r, int& done) {
  std::vector<epoll_event> evs(1024);
  char buf[65536];
  while (done < int(conns.size()) && monoNs() < deadline_ns) {
    int n = epoll_wait(ep, evs.data(), int(evs.size()), 100);
    for (int i = 0; i < n; ++i) {
      Conn& c = conns[evs[i].data.u32];
      for (;;) {
        auto got = ::recv(c.fd, buf, sizeof buf, 0);
        if (got <= 0) break;
        std::int64_t now = monoNs();
        c.pending.append(buf, std::size_t(got));
        std::size_t start = 0;
        for (auto nl = c.pending.find('\n'); nl != std::string::npos; nl = c.pending.find('\n', start)) {
          std::string_view line(c.pending.data() + start, nl - start);
          start = nl + 1;
          if (!line.starts_with("data: ")) continue;
          auto t = line.find("\"t_ns\":");
          if (t == std::string_view::npos) continue;
          std::int64_t created = std::strtoll(line.data() + t + 7, nullptr, 10);
          delays.push_back(now - created);
          if (r.first_ns == 0) r.first_ns = now;
          r.last_ns = now;
          ++r.deliveries;
          if (++c.received == target) ++done;
        }
        c.pending.erase(0, start);
      }
    }
  }
}

void summarize(std::vector<std::int64_t>& d, PhaseResult& r) {
  if (d.empty()) return;
  std::sort(d.begin(), d.end());
  r.p50 = d[d.size() / 2];
  r.p99 = d[std::min(d.size() - 1, d.size() * 99 / 100)];
  r.max = d.back();
}

int runClient(const Options& o, int port_pipe, int result_pipe) {
  raiseFileLimit();
  int port = 0;
  if (::read(port_pipe, &port, sizeof port) != sizeof port) return 1;
  int ep = epoll_create1(0);
  std::vector<Conn> conns(std::size_t(o.subscribers));
  // Host: a loopback name, as the dev server requires (api/dev_guard.h).
  std::string request = "GET /events/workflows/1 HTTP/1.1\r\nHost: localhost\r\n\r\n";
  for (int i = 0; i < o.subscribers; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(std::uint16_t(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      std::perror("connect");
      return 1;
    }
    ::send(fd, request.data(), request.size(), 0);
    int flags = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &flags, sizeof flags);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = std::uint32_t(i);
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    conns[std::size_t(i)].fd = fd;
    if (i % 500 == 499) std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the accept queue drain
  }
  const int phases[2] = {o.paced, o.burst};
  int cumulative = 0;
  for (int p = 0; p < 2; ++p) {
    cumulative += phases[p];
    PhaseResult r;
    std::vector<std::int64_t> delays;
    delays.reserve(std::size_t(o.subscribers) * std::size_t(phases[p]));
    int done = 0;
    readUntil(ep, conns, cumulative, monoNs() + 180'000'000'000LL, delays, r, done);
    r.complete = done;
    summarize(delays, r);
    if (::write(result_pipe, &r, sizeof r) != sizeof r) return 1;
  }
  return 0;
}

// ---- server process --------------------------------------------------------

void report(const char* phase, int events, const PhaseResult& r, std::int64_t append_start, std::int64_t append_end,
            int subscribers) {
  double span = double(r.last_ns - append_start) / 1e9;
  std::printf(
      "%-6s events=%d subscribers=%d complete=%d deliveries=%lld in %.3f s: %.0f deliveries/s; "
      "appending took %.3f s; delay p50=%.1f ms p99=%.1f ms max=%.1f ms\n",
      phase, events, subscribers, r.complete, static_cast<long long>(r.deliveries), span, double(r.deliveries) / span,
      double(append_end - append_start) / 1e9, double(r.p50) / 1e6, double(r.p99) / 1e6, double(r.max) / 1e6);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (argc > 1) o.subscribers = std::atoi(argv[1]);
  if (argc > 2) o.paced = std::atoi(argv[2]);
  if (argc > 3) o.rate = std::atoi(argv[3]);
  if (argc > 4) o.burst = std::atoi(argv[4]);
  raiseFileLimit();
  int port_pipe[2], result_pipe[2];
  if (pipe(port_pipe) != 0 || pipe(result_pipe) != 0) return 1;
  pid_t child = fork();
  if (child == 0) _exit(runClient(o, port_pipe[0], result_pipe[1]));

  core::LogConfig quiet;
  quiet.level = "warn";
  core::log::init(quiet);
  auto dir = std::filesystem::temp_directory_path() / ("codecrew-events-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto clock = core::SystemClock::instance();
  auto opened = store::openSqliteStore((dir / "bench.db").string(), clock);
  if (!opened) return 1;
  std::shared_ptr<store::Store> raw(std::move(*opened));
  auto hub = std::make_shared<events::LocalEventHub>();
  auto log = std::make_shared<events::EventLog>(raw, hub);
  auto tenant = raw->ensureTenant("bench");
  store::Workflow w;
  w.tenant_id = tenant->id;
  w.name = "bench";
  auto wf = raw->createWorkflow(w);
  auto ctx = std::make_shared<api::ApiContext>();
  ctx->store = log->store();
  ctx->config = std::make_shared<core::Config>();
  ctx->clock = clock;
  ctx->dev = true;
  ctx->dev_tenant_id = tenant->id;
  ctx->events = log;
  auto router = std::make_shared<http::Router>();
  api::registerEventRoutes(*router, ctx);
  http::ServerOptions so;
  so.port = 0;
  http::Server server(so, router);
  if (!server.start()) return 1;
  int port = server.port();
  if (::write(port_pipe[1], &port, sizeof port) != sizeof port) return 1;

  auto deadline = monoNs() + 120'000'000'000LL;
  while (hub->subscriberCount(wf->value.id) < std::size_t(o.subscribers) && monoNs() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::printf("subscribers connected: %zu\n", hub->subscriberCount(wf->value.id));

  auto append = [&](int i) {
    store::Event e;
    e.tenant_id = tenant->id;
    e.workflow_id = wf->value.id;
    e.type = "execution.stage";
    e.data = boost::json::object{{"i", i}, {"t_ns", monoNs()}};
    (void)log->append(e);
  };
  const int counts[2] = {o.paced, o.burst};
  const char* names[2] = {"paced", "burst"};
  for (int p = 0; p < 2; ++p) {
    std::int64_t start = monoNs();
    for (int i = 0; i < counts[p]; ++i) {
      if (p == 0) {
        std::int64_t due = start + std::int64_t(i) * 1'000'000'000LL / o.rate;
        while (monoNs() < due) std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
      append(i);
    }
    std::int64_t end = monoNs();
    PhaseResult r;
    if (::read(result_pipe[0], &r, sizeof r) != sizeof r) break;
    report(names[p], counts[p], r, start, end, o.subscribers);
  }
  int status = 0;
  waitpid(child, &status, 0);
  server.stop();
  std::filesystem::remove_all(dir);
  return 0;
}
