// The HTTP side of reliability.md "HTTP" with a web config: basic auth (401, the stored hash
// refused, timing parity of unknown users), health paths, extra headers, and abuse resistance
// (slow headers from many connections, a megabyte of header).
#include <modelwatch/server/http_server.h>

#include <gtest/gtest.h>

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "server/basic_auth.h"
#include "unit/server/raw_client.h"
#include "unit/server/server_fixture.h"

namespace modelwatch::server::testing {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s : {18, 12, 6, 0}) out += kAlphabet[(n >> s) & 63];
  }
  if (i + 1 == in.size()) {
    const uint32_t n = uint8_t(in[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    for (int s : {18, 12, 6}) out += kAlphabet[(n >> s) & 63];
    out += "=";
  }
  return out;
}

std::string AuthHeader(std::string_view user, std::string_view password) {
  return "Authorization: Basic " + Base64(std::string(user) + ":" + std::string(password)) + "\r\n";
}

// True when the server has closed `c` (EOF or reset pending), without blocking.
bool PeerClosed(const RawConnection& c) {
  char byte;
  const ssize_t n = ::recv(c.fd(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

class WebSecurityTest : public ServerTest {
 protected:
  // Basic auth for "prometheus" with password "s3cret", hashed at `cost`.
  void StartWithAuth(int cost = 6, ServerOptions options = {}) {
    Result<std::string> hash = BcryptHash("s3cret", cost);
    ASSERT_TRUE(hash.ok()) << hash.status().message();
    hash_ = hash.value();
    config::WebConfig web;
    web.file = "/etc/modelwatch/web.yml";
    web.basic_auth_users["prometheus"] = hash_;
    web.headers = {{"X-Content-Type-Options", "nosniff"}, {"X-Frame-Options", "deny"}};
    options.web_config = web;
    StartServer(options);
  }
  std::string hash_;
};

TEST(Base64Test, MatchesKnownEncodings) {
  EXPECT_EQ(Base64("user:pass"), "dXNlcjpwYXNz");
  EXPECT_EQ(Base64("a:b"), "YTpi");
  EXPECT_EQ(Base64("ab:"), "YWI6");
  EXPECT_EQ(Base64("abcd:"), "YWJjZDo=");
}

TEST_F(WebSecurityTest, WrongPasswordGets401WithWwwAuthenticate) {
  StartWithAuth();
  Reply reply = Get("/metrics", AuthHeader("prometheus", "wrong"));
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.Header("www-authenticate"), "Basic");
  EXPECT_EQ(reply.body.find("modelwatch_up"), std::string::npos);
  Reply none = Get("/metrics");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.Header("www-authenticate"), "Basic");
  Reply right = Get("/metrics", AuthHeader("prometheus", "s3cret"));
  EXPECT_EQ(right.status, 200);
  EXPECT_EQ(right.body, kExposition);
  EXPECT_EQ(server_->stats().auth_failures, 2u);
}

TEST_F(WebSecurityTest, EveryPathButHealthAsksForAuth) {
  StartWithAuth();
  ready_ = true;
  EXPECT_EQ(Get("/").status, 401);
  EXPECT_EQ(Get("/api/v1/status").status, 401);
  EXPECT_EQ(Get("/nope").status, 401);  // no route discovery without credentials
  EXPECT_EQ(Get("/-/healthy").status, 200);
  EXPECT_EQ(Get("/-/ready").status, 200);
}

TEST_F(WebSecurityTest, ProtectHealthEndpointsClosesHealthPathsToo) {
  StartWithAuth(6, {.protect_health_endpoints = true});
  ready_ = true;
  EXPECT_EQ(Get("/-/healthy").status, 401);
  EXPECT_EQ(Get("/-/ready").status, 401);
  EXPECT_EQ(Get("/-/healthy", AuthHeader("prometheus", "s3cret")).status, 200);
}

// CVE-2022-46146: whoever holds the bcrypt hash must not get in, before or after the real
// password was accepted (exporter-toolkit's cache once let the hash through).
TEST_F(WebSecurityTest, TheStoredHashUsedAsPasswordFails) {
  StartWithAuth();
  EXPECT_EQ(Get("/metrics", AuthHeader("prometheus", hash_)).status, 401);
  EXPECT_EQ(Get("/metrics", AuthHeader("prometheus", "s3cret")).status, 200);
  EXPECT_EQ(Get("/metrics", AuthHeader("prometheus", hash_)).status, 401);
  EXPECT_EQ(Get("/metrics", AuthHeader("prometheus", "s3cret")).status, 200);
}

TEST_F(WebSecurityTest, ExtraHeadersAreOnEveryResponse) {
  StartWithAuth();
  for (const Reply& reply :
       {Get("/metrics", AuthHeader("prometheus", "s3cret")), Get("/metrics"), Get("/-/healthy")}) {
    EXPECT_EQ(reply.Header("x-content-type-options"), "nosniff") << reply.status;
    EXPECT_EQ(reply.Header("x-frame-options"), "deny") << reply.status;
  }
}

TEST_F(WebSecurityTest, ARightPasswordIsCheckedWithBcryptOnce) {
  StartWithAuth();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Get("/metrics", AuthHeader("prometheus", "s3cret")).status, 200);
  }
  EXPECT_EQ(server_->stats().auth_bcrypt_checks, 1u);
}

// A failure must take as long for a user that does not exist as for one that does, or the
// timing tells an attacker which user names to attack. 200 tries each, interleaved (in
// alternating order) so that load on the machine hits both alike; every password is new, so
// each try runs bcrypt.
TEST_F(WebSecurityTest, UnknownAndKnownUserFailuresTakeTheSameTime) {
  StartWithAuth(/*cost=*/7);
  std::vector<double> known, unknown;
  for (int i = 0; i < 200; ++i) {
    // Alternate which goes first, so that neither gains from the other warming caches.
    for (bool exists : {i % 2 == 0, i % 2 != 0}) {
      const std::string header = AuthHeader(exists ? "prometheus" : "nobody-" + std::to_string(i),
                                            "guess-" + std::to_string(i));
      const auto start = Clock::now();
      const Reply reply = Get("/metrics", header);
      const double seconds = SecondsSince(start);
      ASSERT_EQ(reply.status, 401);
      (exists ? known : unknown).push_back(seconds);
    }
  }
  auto median = [](std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
  };
  const double k = median(known), u = median(unknown);
  std::printf("failure medians over 200 tries: known user %.2f ms, unknown user %.2f ms\n",
              k * 1000, u * 1000);
  EXPECT_LT(std::abs(u - k) / k, 0.20)
      << "known " << k * 1000 << " ms, unknown " << u * 1000 << " ms";
  EXPECT_EQ(server_->stats().auth_bcrypt_checks, 400u);
}

// Password checks past the queue limit are answered 503 at once instead of queueing behind
// bcrypt; a scrape whose credentials are cached is not held up by them.
TEST_F(WebSecurityTest, AFloodOfWrongPasswordsDoesNotHoldUpACachedScrape) {
  StartWithAuth(/*cost=*/10, {.max_connections = 1024, .auth_queue_limit = 4});
  ASSERT_EQ(Get("/metrics", AuthHeader("prometheus", "s3cret")).status, 200);  // now cached
  std::vector<std::unique_ptr<RawConnection>> flood;
  for (int i = 0; i < 200; ++i) {
    flood.push_back(std::make_unique<RawConnection>(port()));
    flood.back()->Send("GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n" +
                       AuthHeader("prometheus", "wrong-" + std::to_string(i)) + "\r\n");
  }
  const auto start = Clock::now();
  Reply scrape = Get("/metrics", AuthHeader("prometheus", "s3cret"));
  const double seconds = SecondsSince(start);
  EXPECT_EQ(scrape.status, 200);
  EXPECT_LT(seconds, 1.0);
  int busy = 0;
  for (auto& c : flood) {
    std::string raw;
    c->ReadToEof(30, &raw);
    std::optional<Reply> r = TakeReply(raw);
    if (r && r->status == 503) ++busy;
  }
  EXPECT_GT(busy, 150);
  EXPECT_GT(server_->stats().auth_queue_full, 150u);
}

// Slowloris: 200 connections each sending one header byte every 2 s, reconnecting whenever the
// server closes them, with the default limits (max_connections 64, read_header_timeout 5 s).
// A normal scrape every 250 ms must be answered within 1 s throughout.
TEST_F(WebSecurityTest, TricklingConnectionsDoNotDelayAScrape) {
  StartServer();
  std::atomic<bool> stop{false};
  std::atomic<int> reconnects{0};
  std::thread attacker([&] {
    std::vector<std::unique_ptr<RawConnection>> conns;
    std::vector<std::size_t> sent(200, 0);
    const std::string request = "GET /metrics HTTP/1.1\r\nHost: t\r\nX-Slow: ";
    for (int i = 0; i < 200; ++i) conns.push_back(std::make_unique<RawConnection>(port()));
    while (!stop.load()) {
      for (std::size_t i = 0; i < conns.size() && !stop.load(); ++i) {
        char byte = sent[i] < request.size() ? request[sent[i]] : 'a';
        if (conns[i]->fd() < 0 || PeerClosed(*conns[i]) ||
            !conns[i]->Send(std::string_view(&byte, 1))) {
          conns[i] = std::make_unique<RawConnection>(port());
          sent[i] = 0;
          reconnects.fetch_add(1);
          continue;
        }
        ++sent[i];
      }
      for (int t = 0; t < 20 && !stop.load(); ++t) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the attack is in place
  double worst = 0;
  int ok = 0, scrapes = 0;
  const auto start = Clock::now();
  while (SecondsSince(start) < 8) {
    const auto t0 = Clock::now();
    Reply reply = Get("/metrics");
    worst = std::max(worst, SecondsSince(t0));
    ok += reply.status == 200;
    ++scrapes;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  stop = true;
  attacker.join();
  std::printf("%d scrapes under 200 trickling connections: worst %.1f ms; %d reconnects\n", scrapes,
              worst * 1000, reconnects.load());
  EXPECT_EQ(ok, scrapes);
  EXPECT_LT(worst, 1.0);
  EXPECT_GT(server_->stats().connections_evicted, 0u);
  EXPECT_GT(server_->stats().header_timeouts + server_->stats().connections_evicted, 136u);
}

TEST_F(WebSecurityTest, AMegabyteHeaderGets431) {
  StartServer();
  RawConnection connection(port());
  std::string request =
      "GET /metrics HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(1024 * 1024, 'a') + "\r\n\r\n";
  ASSERT_TRUE(connection.Send(request));
  std::string raw;
  EXPECT_TRUE(connection.ReadToEof(10, &raw));
  std::optional<Reply> reply = TakeReply(raw);
  ASSERT_TRUE(reply.has_value()) << raw.substr(0, 200);
  EXPECT_EQ(reply->status, 431);
  EXPECT_EQ(server_->stats().header_too_large, 1u);
  EXPECT_EQ(Get("/metrics").status, 200);
}

TEST_F(WebSecurityTest, AnInvalidHashRefusesToStart) {
  config::WebConfig web;
  web.file = "/etc/modelwatch/web.yml";
  // The right shape, but a cost byte libcrypt rejects ("$2y$03$" is below bcrypt's minimum).
  web.basic_auth_users["prometheus"] = "$2y$03$" + std::string(53, 'a');
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.web_config = web;
  Result<std::unique_ptr<HttpServer>> started = HttpServer::Start(options, handlers_);
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.status().message().find("prometheus"), std::string::npos);
  EXPECT_EQ(started.status().message().find("aaaa"), std::string::npos);  // no hash in messages
}

}  // namespace
}  // namespace modelwatch::server::testing
