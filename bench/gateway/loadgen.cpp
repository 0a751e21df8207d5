// gateway_loadgen: an open-loop HTTP/1.1 load generator for bench/gateway.
// Request i is due at start + i/rate; each of N keep-alive connections takes
// the next due request, waits for its time, sends it and reads the answer.
// Latency runs from the due time, not the send time, so a server that falls
// behind is charged for the queue it causes (no coordinated omission). For
// streams it also reports the time to the first chunk carrying text
// ("content":"<non-empty>" or "text":"<non-empty>").
// Bounded: --count requests at most, and never past --max-seconds.
//   gateway_loadgen --url http://127.0.0.1:P/v1/chat/completions --body-file F
//                   [--header "K: V"]... [--rate 1000] [--count 3000]
//                   [--connections 32] [--max-seconds 60]
// Prints one JSON object: sent, ok, errors, rate, and p50/p90/p99/max of
// latency_us (and ttft_us for streams).
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace bj = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string host = "127.0.0.1";
  std::string port;
  std::string target = "/";
  std::string body;
  std::vector<std::string> headers;
  double rate = 1000;
  long count = 3000;
  int connections = 32;
  double max_seconds = 60;
};

struct Run {
  Options options;
  std::string request;  // serialised once
  Clock::time_point start;
  Clock::time_point deadline;
  long next = 0;
  long ok = 0, errors = 0;
  std::vector<double> latency_us, ttft_us;
};

bool carriesText(std::string_view chunk) {
  for (std::string_view key : {std::string_view("\"content\":\""), std::string_view("\"text\":\"")}) {
    for (auto at = chunk.find(key); at != std::string_view::npos; at = chunk.find(key, at + 1)) {
      auto after = at + key.size();
      if (after < chunk.size() && chunk[after] != '"') return true;
    }
  }
  return false;
}

double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

asio::awaitable<bool> connect(tcp::socket& socket, const Options& o) {
  boost::system::error_code ec;
  tcp::resolver resolver(socket.get_executor());
  auto endpoints = co_await resolver.async_resolve(o.host, o.port, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return false;
  co_await asio::async_connect(socket, endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) socket.set_option(tcp::no_delay(true), ec);
  co_return !ec;
}

asio::awaitable<void> worker(Run& run) {
  auto ex = co_await asio::this_coro::executor;
  tcp::socket socket(ex);
  bool connected = co_await connect(socket, run.options);
  beast::flat_buffer buffer;
  asio::steady_timer timer(ex);
  const auto interval = std::chrono::duration<double>(1.0 / run.options.rate);
  while (run.next < run.options.count) {
    const long slot = run.next++;
    const auto due = run.start + std::chrono::duration_cast<Clock::duration>(interval * slot);
    if (due > run.deadline) break;
    timer.expires_at(due);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!connected) {
      socket = tcp::socket(ex);
      buffer.clear();
      connected = co_await connect(socket, run.options);
      if (!connected) {
        ++run.errors;
        continue;
      }
    }
    co_await asio::async_write(socket, asio::buffer(run.request), asio::redirect_error(asio::use_awaitable, ec));
    std::optional<Clock::time_point> first_text;
    auto on_chunk = [&](std::uint64_t, std::string_view data, boost::system::error_code&) -> std::size_t {
      if (!first_text && carriesText(data)) first_text = Clock::now();
      return data.size();
    };
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 << 20);
    parser.on_chunk_body(on_chunk);
    if (!ec) co_await bhttp::async_read(socket, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    const auto done = Clock::now();
    if (ec || parser.get().result_int() != 200) {
      ++run.errors;
      if (ec || !parser.keep_alive()) connected = false;
      if (!connected) socket.close(ec);
      continue;
    }
    ++run.ok;
    run.latency_us.push_back(micros(done - due));
    if (first_text) run.ttft_us.push_back(micros(*first_text - due));
    if (!parser.keep_alive()) {
      socket.close(ec);
      connected = false;
    }
  }
}

bj::object percentiles(std::vector<double> v) {
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
  };
  return {{"p50", at(0.50)}, {"p90", at(0.90)}, {"p99", at(0.99)}, {"max", v.back()}};
}

bool parseArgs(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i], value = argv[i + 1];
    if (arg == "--url") {
      constexpr std::string_view kScheme = "http://";
      if (value.rfind(kScheme, 0) != 0) return false;
      auto rest = value.substr(kScheme.size());
      auto slash = rest.find('/');
      auto hostport = rest.substr(0, slash);
      o.target = slash == std::string::npos ? "/" : rest.substr(slash);
      auto colon = hostport.rfind(':');
      o.host = hostport.substr(0, colon);
      o.port = colon == std::string::npos ? "80" : hostport.substr(colon + 1);
    } else if (arg == "--body-file") {
      std::ifstream in(value);
      std::stringstream ss;
      ss << in.rdbuf();
      o.body = ss.str();
    } else if (arg == "--header") {
      o.headers.push_back(value);
    } else if (arg == "--rate") {
      o.rate = std::stod(value);
    } else if (arg == "--count") {
      o.count = std::stol(value);
    } else if (arg == "--connections") {
      o.connections = std::stoi(value);
    } else if (arg == "--max-seconds") {
      o.max_seconds = std::stod(value);
    } else {
      return false;
    }
  }
  return !o.port.empty() && o.rate > 0 && o.count > 0 && o.connections > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Run run;
  if (!parseArgs(argc, argv, run.options) || argc % 2 == 0) {
    std::cerr << "usage: gateway_loadgen --url http://HOST:PORT/PATH --body-file F [--header 'K: V']... "
                 "[--rate R] [--count N] [--connections C] [--max-seconds S]\n";
    return 2;
  }
  const auto& o = run.options;
  run.request = "POST " + o.target + " HTTP/1.1\r\nHost: " + o.host + ":" + o.port +
                "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(o.body.size()) + "\r\n";
  for (const auto& h : o.headers) run.request += h + "\r\n";
  run.request += "\r\n" + o.body;
  run.latency_us.reserve(static_cast<std::size_t>(o.count));
  asio::io_context io(1);
  run.start = Clock::now() + std::chrono::milliseconds(50);  // connections open first
  run.deadline = run.start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.max_seconds));
  for (int i = 0; i < o.connections; ++i) asio::co_spawn(io, worker(run), asio::detached);
  io.run_until(run.deadline + std::chrono::seconds(10));
  const double elapsed = std::max(1e-9, std::chrono::duration<double>(Clock::now() - run.start).count());
  bj::object out{{"sent", run.ok + run.errors},
                 {"ok", run.ok},
                 {"errors", run.errors},
                 {"rate", static_cast<double>(run.ok) / elapsed},
                 {"latency_us", percentiles(run.latency_us)}};
  if (!run.ttft_us.empty()) out["ttft_us"] = percentiles(run.ttft_us);
  std::cout << bj::serialize(out) << std::endl;
  return 0;
}
