// LISTEN/NOTIFY against the test PostgreSQL (the CTest fixture `postgres`):
// PgListener hears notifications, and after its connection is terminated or
// the server restarts it connects again, LISTENs again and says so, never
// holding more than one connection; PgNotifier sends on a connection of its
// own and gets over its termination; and the event signals carry a
// worker's events to an API node's feeds through them.
#include "events/pg_event_signals.h"
#include "events_fixture.h"
#include "store/postgres/pg_listener.h"
#include "store/postgres/pg_notifier.h"
#include "support/postgres_server.h"

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

namespace codecrew::events::test {
namespace {

using codecrew::testing::clientConnectionCount;
using codecrew::testing::runSqlAsSuperuser;
using codecrew::testing::terminateBackends;
using store::postgres::PgListener;
using store::postgres::PgListenerOptions;
using store::postgres::PgNotifier;
using store::postgres::PgNotifierOptions;

// A name no other test running against the server uses.
std::string uniqueName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  std::random_device random;
  return prefix + "_" + std::to_string(random()) + "_" + std::to_string(++counter);
}

// What a PgListener handed to its callbacks.
class Heard {
 public:
  PgListener::NotificationHandler onNotification() {
    return [this](std::string_view payload) {
      std::lock_guard lock(mu_);
      payloads_.emplace_back(payload);
    };
  }
  PgListener::ListeningHandler onListening() {
    return [this] { ++listens_; };
  }
  bool heard(const std::string& payload) {
    return eventually([&] {
      std::lock_guard lock(mu_);
      return std::find(payloads_.begin(), payloads_.end(), payload) != payloads_.end();
    });
  }
  bool listensReach(int n) {
    return eventually([&] { return listens_.load() >= n; });
  }
  int listens() const { return listens_.load(); }

 private:
  std::mutex mu_;
  std::vector<std::string> payloads_;
  std::atomic<int> listens_{0};
};

// Samples the connections of an application_name until stopped; the most it saw.
class ConnectionSampler {
 public:
  explicit ConnectionSampler(std::string application_name)
      : thread_([this, name = std::move(application_name)] {
          while (!stop_) {
            try {
              max_ = std::max(max_.load(), clientConnectionCount(name));
            } catch (const std::exception&) {  // the server is restarting
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
          }
        }) {}
  int stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return max_;
  }
  ~ConnectionSampler() { stop(); }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int> max_{0};
  std::thread thread_;
};

void notifyAsSuperuser(const std::string& channel, const std::string& payload) {
  runSqlAsSuperuser("SELECT pg_notify($1, $2)", {channel, payload});
}

class PgListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CODECREW_REQUIRE_POSTGRES();
    url_ = *codecrew::testing::testPostgresUrl();
  }
  std::unique_ptr<PgListener> startListener(Heard& heard) {
    PgListenerOptions o;
    o.url = url_;
    o.channel = channel_;
    o.application_name = app_;
    o.backoff_initial = std::chrono::milliseconds(20);
    o.backoff_max = std::chrono::milliseconds(200);
    auto listener = std::make_unique<PgListener>(o, heard.onNotification(), heard.onListening());
    listener->start();
    return listener;
  }

  std::string url_;
  std::string channel_ = uniqueName("codecrew_test_events");
  std::string app_ = uniqueName("codecrew-test-listener");
};

TEST_F(PgListenerTest, HearsNotificationsOnItsChannelOnceListening) {
  Heard heard;
  auto listener = startListener(heard);
  ASSERT_TRUE(heard.listensReach(1));
  EXPECT_TRUE(listener->listening());
  notifyAsSuperuser(channel_, "1:2:3");
  notifyAsSuperuser(channel_, "1:2:4");
  EXPECT_TRUE(heard.heard("1:2:3"));
  EXPECT_TRUE(heard.heard("1:2:4"));
  EXPECT_EQ(clientConnectionCount(app_), 1);
  listener->stop();
  EXPECT_FALSE(listener->listening());
  EXPECT_EQ(codecrew::testing::awaitClientConnectionCount(0, app_), 0);
}

TEST_F(PgListenerTest, ListensAgainAfterItsConnectionIsTerminatedWithOneConnectionAtMost) {
  Heard heard;
  ConnectionSampler sampler(app_);
  auto listener = startListener(heard);
  ASSERT_TRUE(heard.listensReach(1));
  for (int round = 2; round <= 4; ++round) {
    ASSERT_EQ(terminateBackends(app_), 1);
    ASSERT_TRUE(heard.listensReach(round)) << "round " << round;  // reconnected, LISTENed, said so
    const std::string payload = "1:1:" + std::to_string(round);
    notifyAsSuperuser(channel_, payload);
    EXPECT_TRUE(heard.heard(payload));
  }
  EXPECT_EQ(listener->connections(), 4u);
  listener->stop();
  EXPECT_LE(sampler.stop(), 1);
}

TEST_F(PgListenerTest, KeepsTryingWhileTheServerCannotBeReached) {
  Heard heard;
  PgListenerOptions o;
  o.url = "postgresql://codecrew@127.0.0.1:1/postgres";  // nothing listens on port 1
  o.channel = channel_;
  o.backoff_initial = std::chrono::milliseconds(5);
  o.backoff_max = std::chrono::milliseconds(20);
  PgListener listener(o, heard.onNotification(), heard.onListening());
  listener.start();
  EXPECT_TRUE(eventually([&] { return listener.attempts() >= 3; }));
  listener.stop();  // between attempts or during one
  EXPECT_EQ(heard.listens(), 0);
  EXPECT_FALSE(listener.listening());
}

TEST_F(PgListenerTest, NotifierSendsOnItsOwnConnectionAndGetsOverItsTermination) {
  Heard heard;
  auto listener = startListener(heard);
  ASSERT_TRUE(heard.listensReach(1));
  PgNotifierOptions no;
  no.url = url_;
  no.channel = channel_;
  no.application_name = app_ + "-notifier";
  PgNotifier notifier(no);
  ASSERT_TRUE(notifier.notify({"7:8:1", "7:9:\"quoted\\"}));
  EXPECT_TRUE(heard.heard("7:8:1"));
  EXPECT_TRUE(heard.heard("7:9:\"quoted\\"));
  ASSERT_EQ(terminateBackends(app_ + "-notifier"), 1);
  auto sent = notifier.notify({"7:8:2"});  // finds its connection gone, sends on a new one
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_TRUE(heard.heard("7:8:2"));
  EXPECT_EQ(clientConnectionCount(app_ + "-notifier"), 1);
  const std::string too_long(8000, 'x');
  auto refused = notifier.notify({too_long});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::kInvalidArgument);
}

// The server restarts: every test's connections break, so these run alone.
using PgListenerRestartTest = PgListenerTest;

TEST_F(PgListenerRestartTest, ListensAgainAfterTheServerRestarts) {
  Heard heard;
  ConnectionSampler sampler(app_);
  auto listener = startListener(heard);
  ASSERT_TRUE(heard.listensReach(1));
  PgNotifierOptions no;
  no.url = url_;
  no.channel = channel_;
  PgNotifier notifier(no);
  ASSERT_TRUE(notifier.notify({"1:1:1"}));
  EXPECT_TRUE(heard.heard("1:1:1"));
  codecrew::testing::restartServer();
  ASSERT_TRUE(heard.listensReach(2));
  auto sent = notifier.notify({"1:1:2"});
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_TRUE(heard.heard("1:1:2"));
  listener->stop();
  EXPECT_LE(sampler.stop(), 1);
}

// A worker and an API node: two EventLogs on one (SQLite) store, signalling
// through the test PostgreSQL.
class PgEventSignalsTest : public EventsTest {
 protected:
  void SetUp() override {
    CODECREW_REQUIRE_POSTGRES();
    EventsTest::SetUp();
    options_.url = *codecrew::testing::testPostgresUrl();
    options_.channel = uniqueName("codecrew_test_events");
    options_.application_name_prefix = uniqueName("codecrew-test");
    EventLogOptions worker;
    worker.signal = makePgEventSignal(options_);
    worker_ = std::make_unique<EventLog>(raw_, std::make_shared<LocalEventHub>(), worker);
    EventLogOptions api;
    api.signal = makePgEventSignal(options_);
    api.relay.safety_poll = std::chrono::milliseconds(0);  // only signals and resyncs
    api_ = std::make_unique<EventLog>(raw_, api_hub_, api);
    listener_ = listenPgEventSignals(options_, api_->relay());
    ASSERT_TRUE(eventually([&] { return listener_->listening(); }));
  }
  void TearDown() override {
    if (listener_) listener_->stop();
  }
  void appendByWorker(const std::string& type) { ASSERT_TRUE(worker_->append(event(type))); }

  PgEventSignalOptions options_;
  std::shared_ptr<LocalEventHub> api_hub_ = std::make_shared<LocalEventHub>();
  std::unique_ptr<EventLog> worker_;
  std::unique_ptr<EventLog> api_;
  std::unique_ptr<PgListener> listener_;
};

TEST_F(PgEventSignalsTest, AWorkersEventsReachAnApiNodesFeedThroughNotify) {
  Collector got;
  auto feed = api_->follow({tenant_, workflow_, 0}, got.sink());
  for (int i = 0; i < 50; ++i) appendByWorker("step");
  EXPECT_EQ(seqs(got.waitFor(50)), range(1, 50));
  feed->stop();
}

TEST_F(PgEventSignalsTest, EventsNotifiedWhileTheListenerWasDownArriveAfterItListensAgain) {
  Collector got;
  auto feed = api_->follow({tenant_, workflow_, 0}, got.sink());
  appendByWorker("before");
  got.waitFor(1);
  ASSERT_EQ(terminateBackends(options_.application_name_prefix + "-listener"), 1);
  for (int i = 0; i < 5; ++i) appendByWorker("while-down");  // heard or not, they arrive
  EXPECT_EQ(seqs(got.waitFor(6)), range(1, 6));
  ASSERT_TRUE(eventually([&] { return listener_->connections() >= 2; }));
  appendByWorker("after");
  EXPECT_EQ(seqs(got.waitFor(7)), range(1, 7));
  feed->stop();
}

}  // namespace
}  // namespace codecrew::events::test
