// BeastHttpClient over TLS, through an HTTPS_PROXY CONNECT tunnel, and its
// connect timeout, against peers on 127.0.0.1 (tls_test_peers.h) with
// certificates made at test time. Every call is bounded by its timeouts.
#include "http/client/beast_http_client.h"
#include "support/temp_dir.h"
#include "tls_test_peers.h"

#include <gtest/gtest.h>

#include <optional>

namespace codecrew::http {
namespace {

using testpeers::ConnectProxy;
using testpeers::TestPki;
using testpeers::TlsTestServer;
namespace asio = boost::asio;

template <typename T>
T runOn(asio::io_context& io, asio::awaitable<T> a) {
  std::optional<T> out;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { out.emplace(co_await std::move(a)); },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  io.restart();
  io.run();
  return std::move(*out);
}

// The client refused the server's certificate during the handshake.
void expectVerificationRefused(const core::Result<ClientResponse>& r) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("TLS handshake"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("certificate verify failed"), std::string::npos) << r.error().message;
}

class ClientTlsTest : public ::testing::Test {
 protected:
  // A client that trusts only the test CA (unless ca_file is overridden).
  core::Result<ClientResponse> get(const std::string& url, ClientOptions options = {}, bool trust_ca = true) {
    if (trust_ca && options.ca_file.empty()) options.ca_file = dir_.write("ca.pem", pki_.caPem()).string();
    BeastHttpClient client(options);
    ClientRequest request;
    request.url = url;
    request.timeouts.connect = std::chrono::milliseconds(5000);
    request.timeouts.total = std::chrono::milliseconds(10000);
    return runOn(io_, client.send(request));
  }

  static std::string at(int port, const std::string& host = "127.0.0.1") {
    return "https://" + host + ":" + std::to_string(port) + "/v1/ping";
  }

  TestPki pki_;
  testing::TempDir dir_;
  asio::io_context io_;
};

TEST_F(ClientTlsTest, TrustedCertificateThroughCaFileSucceeds) {
  TlsTestServer server(pki_.leaf("IP:127.0.0.1,DNS:localhost"));
  auto r = get(at(server.port()));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "secure /v1/ping");
  EXPECT_EQ(server.served(), 1);
  EXPECT_EQ(server.failedHandshakes(), 0);
}

TEST_F(ClientTlsTest, HostNameIsSentAsSniAndVerifiedAgainstDnsNames) {
  TlsTestServer server(pki_.leaf("DNS:localhost"));
  auto r = get(at(server.port(), "localhost"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(server.lastSni(), "localhost");
}

TEST_F(ClientTlsTest, KeepAliveReusesTheTlsConnection) {
  TlsTestServer server(pki_.leaf("IP:127.0.0.1"));
  BeastHttpClient client(ClientOptions{.ca_file = dir_.write("ca.pem", pki_.caPem()).string()});
  ClientRequest request;
  request.url = at(server.port());
  auto first = runOn(io_, client.send(request));
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto second = runOn(io_, client.send(request));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_TRUE(second->reused_connection);
  EXPECT_EQ(server.served(), 2);
}

TEST_F(ClientTlsTest, SelfSignedCertificateIsRefused) {
  TlsTestServer server(pki_.leaf("IP:127.0.0.1", /*self_signed=*/true));
  auto r = get(at(server.port()));
  expectVerificationRefused(r);
  EXPECT_EQ(server.served(), 0);
}

TEST_F(ClientTlsTest, CertificateOfAnUnknownCaIsRefusedByTheSystemStore) {
  TlsTestServer server(pki_.leaf("IP:127.0.0.1"));
  auto r = get(at(server.port()), {}, /*trust_ca=*/false);
  expectVerificationRefused(r);
  EXPECT_EQ(server.served(), 0);
}

// A ca_file that cannot be loaded is named in the error, rather than every
// handshake failing as if the server's certificate were at fault.
TEST_F(ClientTlsTest, UnreadableCaFileIsReportedAsSuch) {
  TlsTestServer server(pki_.leaf("IP:127.0.0.1"));
  ClientOptions options;
  options.ca_file = (dir_.path() / "missing-ca.pem").string();
  auto r = get(at(server.port()), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("cannot load the CA file"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("missing-ca.pem"), std::string::npos) << r.error().message;
  EXPECT_EQ(server.served(), 0);
}

TEST_F(ClientTlsTest, WrongHostNameIsRefused) {
  TlsTestServer server(pki_.leaf("DNS:api.other.example,IP:10.9.8.7"));
  auto r = get(at(server.port()));
  expectVerificationRefused(r);
  EXPECT_EQ(server.served(), 0);

  expectVerificationRefused(get(at(server.port(), "localhost")));
  EXPECT_EQ(server.served(), 0);
}

TEST_F(ClientTlsTest, VerificationOffAcceptsAnyCertificate) {
  TlsTestServer server(pki_.leaf("DNS:api.other.example", /*self_signed=*/true));
  ClientOptions options;
  options.verify_peer = false;
  auto r = get(at(server.port()), options, /*trust_ca=*/false);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
}

TEST_F(ClientTlsTest, HttpsProxyTunnelsTlsThroughConnect) {
  TlsTestServer server(pki_.leaf("IP:127.0.0.1"));
  ConnectProxy proxy;
  ClientOptions options;
  options.proxy = ProxyConfig::fromEnv({{"HTTPS_PROXY", proxy.url()}});
  auto r = get(at(server.port()), options);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->body, "secure /v1/ping");
  auto lines = proxy.requestLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "CONNECT 127.0.0.1:" + std::to_string(server.port()) + " HTTP/1.1");
  EXPECT_EQ(server.served(), 1);
}

TEST_F(ClientTlsTest, NoProxyBypassesTheHttpsProxy) {
  TlsTestServer server(pki_.leaf("IP:127.0.0.1"));
  ConnectProxy proxy;
  ClientOptions options;
  options.proxy = ProxyConfig::fromEnv({{"HTTPS_PROXY", proxy.url()}, {"NO_PROXY", "127.0.0.1"}});
  auto r = get(at(server.port()), options);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(proxy.requestLines().empty());
}

TEST_F(ClientTlsTest, ProxyRefusingConnectIsReported) {
  TlsTestServer server(pki_.leaf("IP:127.0.0.1"));
  ConnectProxy proxy(/*refuse=*/true);
  ClientOptions options;
  options.proxy = ProxyConfig::fromEnv({{"https_proxy", proxy.url()}});
  auto r = get(at(server.port()), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("proxy refused CONNECT"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("403"), std::string::npos) << r.error().message;
  EXPECT_EQ(server.served(), 0);
}

// A listener with a backlog of 0 whose one queue slot is taken and that never
// accepts: the kernel drops the next SYN, so the TCP connect itself hangs.
TEST_F(ClientTlsTest, ConnectTimeoutCutsAConnectThatNeverCompletes) {
  using tcp = asio::ip::tcp;
  asio::io_context side;
  tcp::acceptor full(side);
  full.open(tcp::v4());
  full.bind(tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  full.listen(0);
  tcp::socket filler(side);
  filler.connect(full.local_endpoint());
  BeastHttpClient client;
  ClientRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(full.local_endpoint().port()) + "/";
  request.timeouts.connect = std::chrono::milliseconds(300);
  auto r = runOn(io_, client.send(request));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kDeadlineExceeded) << r.error().message;
  EXPECT_NE(r.error().message.find("connect timeout"), std::string::npos) << r.error().message;
}

// TCP connects (the kernel queues it) but the peer never speaks TLS: the
// handshake is part of the connect budget.
TEST_F(ClientTlsTest, ConnectTimeoutCoversASilentTlsHandshake) {
  using tcp = asio::ip::tcp;
  asio::io_context side;
  tcp::acceptor silent(side, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  ClientRequest request;
  request.url = at(silent.local_endpoint().port());
  request.timeouts.connect = std::chrono::milliseconds(300);
  request.timeouts.total = std::chrono::milliseconds(10000);
  BeastHttpClient client;
  auto r = runOn(io_, client.send(request));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kDeadlineExceeded) << r.error().message;
  EXPECT_NE(r.error().message.find("connect timeout while TLS handshake"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace codecrew::http
