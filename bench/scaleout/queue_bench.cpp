// queue_bench: the shared job queue (store/job_queue_store.h) under load.
//   queue_bench [--postgres URL] [--jobs N]
// For SQLite (a file in a temporary directory) and, with --postgres, for
// PostgreSQL (a fresh schema of that server, dropped at the end): N queued
// executions, then 1 and 3 workers (threads, each with a store of its own,
// as separate processes have) claim and complete them until none is left;
// prints cycles per second and the most connections seen. Then the
// takeover: a worker claims with a 1 s lease and dies; a second polls every
// 50 ms; prints the wait from the death to the takeover (p50, p99 of 20).
// Reports figures; never passes or fails on them.
#include "core/clock.h"
#include "store/store_factory.h"

#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

using namespace codecrew;
using Clock = std::chrono::steady_clock;

namespace {

struct Target {
  std::string name;
  std::function<std::unique_ptr<store::Store>()> open;
};

void die(const std::string& what) {
  std::fprintf(stderr, "queue_bench: %s\n", what.c_str());
  std::exit(1);
}

void seed(store::Store& s, int jobs) {
  auto tenant = s.ensureTenant("bench");
  if (!tenant) die(tenant.error().message);
  store::Workflow w;
  w.tenant_id = tenant->id;
  w.name = "bench";
  auto wf = s.createWorkflow(w);
  if (!wf) die(wf.error().message);
  for (int i = 0; i < jobs; ++i) {
    auto e = s.createExecution(tenant->id, wf->value.id, std::nullopt, boost::json::object());
    if (!e) die(e.error().message);
  }
}

int connectionCount(const std::string& url);

// The most connections of this bench the server had at once while fn ran
// (sampled every 10 ms); -1 without a server to ask.
template <typename Fn>
int peakWhile(const std::string& url, Fn fn) {
  if (url.empty()) {
    fn();
    return -1;
  }
  std::atomic<bool> running{true};
  std::atomic<int> peak{0};
  std::thread sampler([&] {
    while (running) {
      peak = std::max(peak.load(), connectionCount(url));
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  fn();
  running = false;
  sampler.join();
  return peak;
}

double cycles(const Target& t, int workers, int jobs) {
  auto seeder = t.open();
  seed(*seeder, jobs);
  std::vector<std::unique_ptr<store::Store>> stores;
  for (int w = 0; w < workers; ++w) stores.push_back(t.open());
  std::atomic<int> done{0};
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      const std::string owner = "bench-" + std::to_string(w);
      while (true) {
        auto lease = stores[w]->claimNextJob(owner, 60'000);
        if (!lease) die(lease.error().message);
        if (!*lease) return;
        auto fin = stores[w]->finishLease((*lease)->job.id, (*lease)->epoch, store::JobStatus::kSucceeded, 1);
        if (!fin) die(fin.error().message);
        ++done;
      }
    });
  }
  for (auto& th : threads) th.join();
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  if (done != jobs) die("completed " + std::to_string(done.load()) + " of " + std::to_string(jobs));
  return jobs / secs;
}

void takeover(const Target& t) {
  auto s = t.open();
  auto tenant = s->ensureTenant("takeover");
  store::Workflow w;
  w.tenant_id = tenant->id;
  w.name = "takeover";
  auto wf = s->createWorkflow(w);
  std::vector<double> waits;
  for (int i = 0; i < 20; ++i) {
    auto e = s->createExecution(tenant->id, wf->value.id, std::nullopt, boost::json::object());
    auto dead = s->claimNextJob("dead", 1000);
    if (!dead || !*dead) die("no job to claim");
    const auto died = Clock::now();  // it never renews
    while (true) {
      auto next = s->claimNextJob("alive", 60'000);
      if (!next) die(next.error().message);
      if (*next) {
        waits.push_back(std::chrono::duration<double, std::milli>(Clock::now() - died).count());
        (void)s->finishLease((*next)->job.id, (*next)->epoch, store::JobStatus::kSucceeded, 1);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  std::sort(waits.begin(), waits.end());
  std::printf("  %-10s takeover after a 1000 ms lease, 50 ms polls: p50 %.0f ms, p99 %.0f ms\n", t.name.c_str(),
              waits[waits.size() / 2], waits[waits.size() * 99 / 100]);
}

int connectionCount(const std::string& url) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    PQfinish(c);
    return -1;
  }
  PGresult* r = PQexec(c, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'queue_bench'");
  int n = PQresultStatus(r) == PGRES_TUPLES_OK ? std::atoi(PQgetvalue(r, 0, 0)) : -1;
  PQclear(r);
  PQfinish(c);
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  std::string pg_url;
  int jobs = 2000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--postgres") pg_url = argv[i + 1];
    else if (a == "--jobs") jobs = std::stoi(argv[i + 1]);
  }
  auto clock = core::SystemClock::instance();
  auto dir = std::filesystem::temp_directory_path() / ("queue_bench_" + std::to_string(::getpid()));
  std::vector<Target> targets;
  int round = 0;
  targets.push_back({"sqlite", [&] {
                       auto s = store::openSqliteStore((dir / ("q" + std::to_string(round) + ".db")).string(), clock);
                       if (!s) die(s.error().message);
                       return std::move(s).value();
                     }});
  std::string schema;
  if (!pg_url.empty()) {
    schema = "queue_bench_" + std::to_string(::getpid());
    PGconn* c = PQconnectdb(pg_url.c_str());
    if (PQstatus(c) != CONNECTION_OK) die(PQerrorMessage(c));
    targets.push_back({"postgresql", [&, c] {
                         const std::string s = schema + "_" + std::to_string(round);
                         PQclear(PQexec(c, ("CREATE SCHEMA IF NOT EXISTS " + s).c_str()));
                         const std::string sep = pg_url.find('?') == std::string::npos ? "?" : "&";
                         store::PostgresStoreOptions o;
                         o.application_name = "queue_bench";
                         o.max_connections = 2;
                         auto st = store::openPostgresStore(pg_url + sep + "options=-csearch_path%3D" + s, clock, o);
                         if (!st) die(st.error().message);
                         return std::move(st).value();
                       }});
  }
  std::printf("queue_bench: %d jobs claimed and completed (claim + finish, one transaction each)\n", jobs);
  for (const auto& t : targets) {
    for (int workers : {1, 3}) {
      ++round;
      double per_second = 0;
      const int peak = peakWhile(t.name == "postgresql" ? pg_url : "", [&] { per_second = cycles(t, workers, jobs); });
      std::printf("  %-10s %d worker%s: %8.0f cycles/s", t.name.c_str(), workers, workers > 1 ? "s" : " ", per_second);
      if (peak >= 0) std::printf("  (most connections at once: %d)", peak);
      std::printf("\n");
    }
    ++round;
    takeover(t);
  }
  if (!pg_url.empty()) {
    PGconn* c = PQconnectdb(pg_url.c_str());
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    for (int r = 0; r <= round; ++r)
      PQclear(PQexec(c, ("DROP SCHEMA IF EXISTS " + schema + "_" + std::to_string(r) + " CASCADE").c_str()));
    PQfinish(c);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
