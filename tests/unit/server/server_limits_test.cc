// The limits of reliability.md "HTTP": connection and concurrency caps, header and idle
// deadlines, the header size cap, no request bodies, and a busy port.
#include <modelwatch/server/http_server.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "unit/server/raw_client.h"
#include "unit/server/server_fixture.h"

namespace modelwatch::server::testing {
namespace {

using Clock = std::chrono::steady_clock;
using ServerLimitsTest = ServerTest;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

TEST_F(ServerLimitsTest, OversizedHeaderIs431) {
  StartServer();
  std::string big = "X-Filler: " + std::string(20 * 1024, 'a') + "\r\n";
  Reply reply = Get("/metrics", big);
  EXPECT_EQ(reply.status, 431);
  EXPECT_EQ(server_->stats().header_too_large, 1u);
}

TEST_F(ServerLimitsTest, SlowHeaderIsCutOffAtTheHeaderTimeoutEvenWhileBytesArrive) {
  StartServer({.read_header_timeout = 0.3});
  RawConnection connection(port());
  const auto start = Clock::now();
  std::string raw;
  bool closed = false;
  // Slowloris: a byte every 50 ms, never finishing the header.
  for (int i = 0; i < 100 && !closed; ++i) {
    connection.Send(i == 0 ? "GET /metrics HTTP/1.1\r\n" : "X");
    closed = connection.ReadToEof(0.05, &raw);
  }
  EXPECT_TRUE(closed);
  EXPECT_GE(SecondsSince(start), 0.25);
  EXPECT_LT(SecondsSince(start), 2.0);
  EXPECT_EQ(raw, "");
  EXPECT_EQ(server_->stats().header_timeouts, 1u);
}

TEST_F(ServerLimitsTest, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  StartServer({.idle_timeout = 0.3});
  RawConnection connection(port());
  ASSERT_TRUE(connection.Send("GET /-/healthy HTTP/1.1\r\nHost: t\r\n\r\n"));
  const auto start = Clock::now();
  std::string raw;
  EXPECT_TRUE(connection.ReadToEof(5, &raw));
  EXPECT_GE(SecondsSince(start), 0.25);
  std::optional<Reply> reply = TakeReply(raw);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(server_->stats().idle_closes, 1u);
  EXPECT_EQ(server_->stats().header_timeouts, 0u);
}

TEST_F(ServerLimitsTest, RequestsOverTheConcurrencyCapGet503) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> calls{0};
  handlers_.metrics = [&] {
    if (calls++ == 0) entered.set_value();
    released.wait();
    return std::string(kExposition);
  };
  StartServer({.max_concurrent_requests = 1});
  RawConnection slow(port());
  ASSERT_TRUE(slow.Send("GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  const bool in_handler =
      entered.get_future().wait_for(std::chrono::seconds(5)) == std::future_status::ready;

  Reply rejected = in_handler ? Get("/metrics") : Reply{};
  Reply probe = Get("/-/healthy");  // health paths are exempt from the cap
  release.set_value();
  ASSERT_TRUE(in_handler);
  EXPECT_EQ(rejected.status, 503);
  EXPECT_EQ(probe.status, 200);
  std::string raw;
  EXPECT_TRUE(slow.ReadToEof(5, &raw));
  EXPECT_EQ(TakeReply(raw).value_or(Reply{}).status, 200);
  EXPECT_EQ(Get("/metrics").status, 200);  // the slot was given back
  EXPECT_EQ(server_->stats().requests_rejected_concurrency, 1u);
}

// At max_connections a new connection is refused only when every open one is busy with a
// request (here: inside the metrics handler).
TEST_F(ServerLimitsTest, ConnectionsOverTheCapAreClosedAtOnceWhenAllAreBusy) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  handlers_.metrics = [&] {
    entered.set_value();
    released.wait();
    return std::string(kExposition);
  };
  StartServer({.max_connections = 1});
  RawConnection first(port());
  ASSERT_TRUE(first.Send("GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  const bool busy =
      entered.get_future().wait_for(std::chrono::seconds(5)) == std::future_status::ready;
  RawConnection second(port());  // over the cap, and nobody to make room
  std::string raw;
  const bool closed = busy && second.ReadToEof(5, &raw);
  release.set_value();
  ASSERT_TRUE(busy);
  EXPECT_TRUE(closed);
  EXPECT_EQ(raw, "");
  EXPECT_EQ(server_->stats().connections_rejected, 1u);
  EXPECT_EQ(server_->stats().connections_evicted, 0u);
  std::string answer;
  EXPECT_TRUE(first.ReadToEof(5, &answer));
  EXPECT_EQ(TakeReply(answer).value_or(Reply{}).status, 200);
}

// A connection that waits for a request (slow, idle or silent) is closed to admit a new one, the
// longest-waiting first, so that trickling clients cannot hold every slot.
TEST_F(ServerLimitsTest, AWaitingConnectionMakesRoomForANewOne) {
  StartServer({.max_connections = 2});
  RawConnection silent(port());
  ASSERT_TRUE(silent.Send("GET /met"));  // a header that never completes
  RawConnection idle(port());
  ASSERT_TRUE(idle.Send("GET /-/healthy HTTP/1.1\r\nHost: t\r\n\r\n"));  // then keep-alive
  std::string raw;
  idle.ReadToEof(0.3, &raw);
  ASSERT_EQ(TakeReply(raw).value_or(Reply{}).status, 200);
  EXPECT_EQ(Get("/metrics").status, 200);  // evicts `silent`, the longest waiting
  std::string rest;
  EXPECT_TRUE(silent.ReadToEof(5, &rest));
  EXPECT_EQ(rest, "");
  // Until only `idle` is left open (the scrape's connection closes just after its answer).
  for (int i = 0; i < 500 && server_->stats().connections_active != 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  RawConnection late(port());  // under the cap: nobody evicted
  ASSERT_TRUE(late.Send("GET /"));
  EXPECT_EQ(Get("/metrics").status, 200);  // evicts `idle`, which has waited longer than `late`
  EXPECT_TRUE(idle.ReadToEof(5, &rest));
  EXPECT_FALSE(late.ReadToEof(0.2, &rest));  // still open
  EXPECT_EQ(server_->stats().connections_evicted, 2u);
  EXPECT_EQ(server_->stats().connections_rejected, 0u);
}

TEST_F(ServerLimitsTest, RequestWithABodyIs413) {
  StartServer();
  Reply reply = Get("/metrics", "Content-Length: 5\r\n\r\nhello");
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(Get("/metrics", "Content-Length: 0\r\n").status, 200);
}

TEST_F(ServerLimitsTest, GarbageIs400) {
  StartServer();
  RawConnection connection(port());
  ASSERT_TRUE(connection.Send("NOT HTTP AT ALL\r\n\r\n"));
  std::string raw;
  EXPECT_TRUE(connection.ReadToEof(5, &raw));
  EXPECT_EQ(raw.rfind("HTTP/1.1 400", 0), 0u) << raw;
  EXPECT_EQ(server_->stats().bad_requests, 1u);
}

TEST_F(ServerLimitsTest, BusyPortFailsStartWithAddressAlreadyInUse) {
  StartServer();
  ServerOptions options;
  options.listen_address = "127.0.0.1:" + std::to_string(port());
  Result<std::unique_ptr<HttpServer>> second = HttpServer::Start(options, handlers_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().message(),
            "listen tcp 127.0.0.1:" + std::to_string(port()) + ": address already in use");
}

TEST_F(ServerLimitsTest, InvalidOptionsFailStart) {
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.max_concurrent_requests = 0;
  EXPECT_FALSE(HttpServer::Start(options, handlers_).ok());
}

}  // namespace
}  // namespace modelwatch::server::testing
