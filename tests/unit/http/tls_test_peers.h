// Peers for the HTTP client's TLS and proxy tests, all on 127.0.0.1:
//  - TestPki: a CA and leaf certificates made at test time with OpenSSL's
//    APIs (EC P-256, SHA-256), as PEM text; nothing is read from disk.
//  - TlsTestServer: an HTTPS server presenting one certificate; it answers
//    every request with 200 "secure <target>" (keep-alive honoured) and
//    counts the requests it read, records the SNI name and the handshakes
//    that failed.
//  - ConnectProxy: an HTTP proxy that only speaks CONNECT, to loopback
//    targets only, and pipes bytes both ways (or refuses with 403).
// Thread-safety: each peer runs on its own io_context thread; the accessors
// may be called from the test thread at any time.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace codecrew::http::testpeers {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

struct PemPair {
  std::string cert;
  std::string key;
};

class TestPki {
 public:
  // A fresh CA ("codecrew test CA").
  TestPki() : ca_key_(newKey()), ca_cert_(X509_new(), X509_free) {
    fill(ca_cert_.get(), ca_key_.get(), "codecrew test CA", 1);
    X509_set_issuer_name(ca_cert_.get(), X509_get_subject_name(ca_cert_.get()));
    addExt(ca_cert_.get(), ca_cert_.get(), NID_basic_constraints, "critical,CA:TRUE");
    addExt(ca_cert_.get(), ca_cert_.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    sign(ca_cert_.get(), ca_key_.get());
  }

  std::string caPem() const { return certPem(ca_cert_.get()); }

  // A server certificate for `alt_names` (e.g. "IP:127.0.0.1,DNS:localhost"),
  // signed by this CA, or self-signed when self_signed is true.
  PemPair leaf(const std::string& alt_names, bool self_signed = false) {
    auto key = newKey();
    std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
    fill(cert.get(), key.get(), "codecrew test server", ++serial_);
    X509* issuer = self_signed ? cert.get() : ca_cert_.get();
    X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer));
    addExt(cert.get(), issuer, NID_basic_constraints, "critical,CA:FALSE");
    addExt(cert.get(), issuer, NID_key_usage, "critical,digitalSignature");
    addExt(cert.get(), issuer, NID_ext_key_usage, "serverAuth");
    addExt(cert.get(), issuer, NID_subject_alt_name, alt_names);
    sign(cert.get(), self_signed ? key.get() : ca_key_.get());
    return {certPem(cert.get()), keyPem(key.get())};
  }

 private:
  using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

  static Key newKey() {
    Key key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    if (!key) throw std::runtime_error("EVP_EC_gen failed");
    return key;
  }
  static void fill(X509* cert, EVP_PKEY* key, const std::string& cn, long serial) {
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
    X509_set_pubkey(cert, key);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  }
  static void addExt(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (!ext) throw std::runtime_error("bad extension " + value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  static void sign(X509* cert, EVP_PKEY* key) {
    if (X509_sign(cert, key, EVP_sha256()) <= 0) throw std::runtime_error("X509_sign failed");
  }
  template <typename Write>
  static std::string pem(Write write) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    write(bio.get());
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
  }
  static std::string certPem(X509* cert) {
    return pem([cert](BIO* b) { PEM_write_bio_X509(b, cert); });
  }
  static std::string keyPem(EVP_PKEY* key) {
    return pem([key](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
  }

  Key ca_key_;
  std::unique_ptr<X509, decltype(&X509_free)> ca_cert_;
  long serial_ = 1;
};

// A listener on 127.0.0.1 (a free port) whose io_context runs on a thread of
// its own; each accepted socket goes to a coroutine made by `serve`. Stops
// and joins on destruction, abandoning connections in flight.
class LoopbackListener {
 public:
  using Serve = std::function<asio::awaitable<void>(tcp::socket)>;
  explicit LoopbackListener(Serve serve)
      : acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)), serve_(std::move(serve)) {
    asio::co_spawn(io_, acceptLoop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;
  ~LoopbackListener() {
    io_.stop();
    thread_.join();
  }
  int port() const { return acceptor_.local_endpoint().port(); }
  asio::io_context& io() { return io_; }

 private:
  asio::awaitable<void> acceptLoop() {
    for (;;) {
      beast::error_code ec;
      tcp::socket socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      asio::co_spawn(io_, serve_(std::move(socket)), asio::detached);
    }
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  Serve serve_;
  std::thread thread_;
};

class TlsTestServer {
 public:
  explicit TlsTestServer(const PemPair& identity) : tls_(makeContext(identity)) {}

  int port() const { return listener_.port(); }
  int served() const { return served_; }
  int failedHandshakes() const { return failed_handshakes_; }
  std::string lastSni() const {
    std::lock_guard lock(mu_);
    return last_sni_;
  }

 private:
  static ssl::context makeContext(const PemPair& identity) {
    ssl::context tls(ssl::context::tls_server);
    tls.use_certificate_chain(asio::buffer(identity.cert));
    tls.use_private_key(asio::buffer(identity.key), ssl::context::pem);
    return tls;
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    beast::error_code ec;
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), tls_);
    co_await stream.async_handshake(ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      ++failed_handshakes_;
      co_return;
    }
    if (const char* sni = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name)) {
      std::lock_guard lock(mu_);
      last_sni_ = sni;
    }
    beast::flat_buffer buffer;
    for (;;) {
      bhttp::request<bhttp::string_body> req;
      co_await bhttp::async_read(stream, buffer, req, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      ++served_;  // before answering: the client may look as soon as it has the answer
      bhttp::response<bhttp::string_body> res{bhttp::status::ok, 11};
      res.body() = "secure " + std::string(req.target());
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      co_await bhttp::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
    }
  }

  ssl::context tls_;
  std::atomic<int> served_{0};
  std::atomic<int> failed_handshakes_{0};
  mutable std::mutex mu_;
  std::string last_sni_;                                                              // guarded by mu_
  LoopbackListener listener_{[this](tcp::socket s) { return serve(std::move(s)); }};  // last: stops first
};

class ConnectProxy {
 public:
  explicit ConnectProxy(bool refuse = false) : refuse_(refuse) {}

  std::string url() const { return "http://127.0.0.1:" + std::to_string(listener_.port()); }
  // The request lines received ("CONNECT 127.0.0.1:443 HTTP/1.1").
  std::vector<std::string> requestLines() const {
    std::lock_guard lock(mu_);
    return lines_;
  }

 private:
  asio::awaitable<void> handle(std::shared_ptr<tcp::socket> client) {
    beast::error_code ec;
    std::string head;
    std::size_t n = co_await asio::async_read_until(*client, asio::dynamic_buffer(head), "\r\n\r\n",
                                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    std::string line = head.substr(0, head.find("\r\n"));
    {
      std::lock_guard lock(mu_);
      lines_.push_back(line);
    }
    const std::string prefix = "CONNECT 127.0.0.1:";
    auto reply = [&](std::string text) -> asio::awaitable<void> {
      co_await asio::async_write(*client, asio::buffer(text), asio::redirect_error(asio::use_awaitable, ec));
    };
    if (refuse_ || line.rfind(prefix, 0) != 0 || n != head.size()) {
      co_await reply("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      co_return;
    }
    auto port = static_cast<unsigned short>(std::stoi(line.substr(prefix.size())));
    auto upstream = std::make_shared<tcp::socket>(client->get_executor());
    co_await upstream->async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), port),
                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      co_await reply("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
      co_return;
    }
    co_await reply("HTTP/1.1 200 Connection established\r\n\r\n");
    if (ec) co_return;
    asio::co_spawn(client->get_executor(), pump(client, upstream), asio::detached);
    asio::co_spawn(client->get_executor(), pump(upstream, client), asio::detached);
  }

  static asio::awaitable<void> pump(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
    char data[8192];
    for (;;) {
      beast::error_code ec;
      std::size_t n = co_await from->async_read_some(asio::buffer(data), asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) co_await asio::async_write(*to, asio::buffer(data, n), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        to->shutdown(tcp::socket::shutdown_both, ec);
        co_return;
      }
    }
  }

  bool refuse_;
  mutable std::mutex mu_;
  std::vector<std::string> lines_;  // guarded by mu_
  LoopbackListener listener_{[this](tcp::socket s) { return handle(std::make_shared<tcp::socket>(std::move(s))); }};
};

}  // namespace codecrew::http::testpeers
