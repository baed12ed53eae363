// The endpoints of interface.md §3, through a real socket.
#include <modelwatch/server/http_server.h>

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "unit/server/raw_client.h"
#include "unit/server/server_fixture.h"

namespace modelwatch::server::testing {
namespace {

std::string Gunzip(const std::string& data) {
  z_stream zs{};
  inflateInit2(&zs, 15 + 16);
  std::string out(1 << 16, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return rc == Z_STREAM_END ? out : "<inflate failed>";
}

using HttpServerTest = ServerTest;

TEST_F(HttpServerTest, MetricsServesTheExpositionAsTextFormat004) {
  StartServer();
  Reply reply = Get("/metrics");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, kExposition);
  EXPECT_EQ(reply.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(reply.Header("content-encoding"), "");
  EXPECT_EQ(reply.Header("vary"), "Accept-Encoding");
}

TEST_F(HttpServerTest, MetricsIsGzippedWhenTheClientAcceptsGzip) {
  StartServer();
  Reply reply = Get("/metrics", "Accept-Encoding: gzip\r\n");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.Header("content-encoding"), "gzip");
  EXPECT_EQ(reply.Header("vary"), "Accept-Encoding");
  EXPECT_EQ(Gunzip(reply.body), kExposition);
}

TEST_F(HttpServerTest, MetricsIsNotGzippedWhenGzipHasQZero) {
  StartServer();
  Reply reply = Get("/metrics", "Accept-Encoding: gzip;q=0, identity\r\n");
  EXPECT_EQ(reply.Header("content-encoding"), "");
  EXPECT_EQ(reply.body, kExposition);
}

TEST_F(HttpServerTest, HeadAnswersTheHeadersOfGetWithoutABody) {
  StartServer();
  RawConnection connection(port());
  ASSERT_TRUE(connection.Send("HEAD /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  std::string raw;
  ASSERT_TRUE(connection.ReadToEof(5, &raw));
  std::optional<Reply> reply = TakeReply(raw, /*head=*/true);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->Header("content-length"), std::to_string(std::string(kExposition).size()));
  EXPECT_EQ(reply->Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(raw, "");  // nothing followed the header
}

TEST_F(HttpServerTest, OtherMethodsAre405WithAllow) {
  StartServer();
  Reply reply = Fetch(port(), "POST", "/metrics");
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.Header("allow"), "GET, HEAD");
  EXPECT_EQ(Fetch(port(), "DELETE", "/").status, 405);
}

TEST_F(HttpServerTest, UnknownPathIs404) {
  StartServer();
  EXPECT_EQ(Get("/nope").status, 404);
  EXPECT_EQ(Get("/metrics/extra").status, 404);
}

TEST_F(HttpServerTest, QueryStringIsIgnoredForRouting) {
  StartServer();
  Reply reply = Get("/metrics?x=1&name[]=up");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, kExposition);
}

TEST_F(HttpServerTest, HealthyIsAlwaysOk) {
  StartServer();
  Reply reply = Get("/-/healthy");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "OK");
}

TEST_F(HttpServerTest, ReadyIs503UntilTheApplicationIsReady) {
  StartServer();
  Reply before = Get("/-/ready");
  EXPECT_EQ(before.status, 503);
  EXPECT_EQ(before.body, "Not ready");
  ready_ = true;
  Reply after = Get("/-/ready");
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(after.body, "OK");
}

TEST_F(HttpServerTest, StatusIsJson) {
  StartServer();
  Reply reply = Get("/api/v1/status");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.Header("content-type"), "application/json");
  EXPECT_EQ(reply.body, R"({"models":[]})");
}

TEST_F(HttpServerTest, LandingPageNamesVersionAndLinksEveryEndpoint) {
  handlers_.landing_title = "modelwatch <dev>";
  StartServer();
  Reply reply = Get("/");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.Header("content-type"), "text/html; charset=utf-8");
  for (const char* link : {"/metrics", "/-/healthy", "/-/ready", "/api/v1/status"}) {
    EXPECT_NE(reply.body.find(std::string("href=\"") + link + "\""), std::string::npos) << link;
  }
  EXPECT_NE(reply.body.find("1.2.3"), std::string::npos);
  EXPECT_NE(reply.body.find("modelwatch &lt;dev&gt;"), std::string::npos);
}

TEST_F(HttpServerTest, KeepAliveServesPipelinedRequestsOnOneConnection) {
  StartServer();
  RawConnection connection(port());
  ASSERT_TRUE(
      connection.Send("GET /-/healthy HTTP/1.1\r\nHost: t\r\n\r\n"
                      "GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  std::string raw;
  ASSERT_TRUE(connection.ReadToEof(5, &raw));
  std::optional<Reply> first = TakeReply(raw);
  std::optional<Reply> second = TakeReply(raw);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, "OK");
  EXPECT_EQ(second->body, kExposition);
  EXPECT_EQ(server_->stats().connections_accepted, 1u);
}

TEST_F(HttpServerTest, HandlerThatThrowsGives500AndIsCounted) {
  handlers_.status_json = []() -> std::string { throw std::runtime_error("boom"); };
  StartServer();
  EXPECT_EQ(Get("/api/v1/status").status, 500);
  EXPECT_EQ(Get("/-/healthy").status, 200);
  EXPECT_EQ(server_->stats().handler_errors, 1u);
  EXPECT_EQ(server_->stats().responses_5xx, 1u);
}

TEST_F(HttpServerTest, StatsCountRequestsByRouteAnd4xx) {
  StartServer();
  Get("/metrics");
  Get("/metrics");
  Get("/nope");
  Stats stats = server_->stats();
  EXPECT_EQ(stats.requests[static_cast<size_t>(Route::kMetrics)], 2u);
  EXPECT_EQ(stats.requests[static_cast<size_t>(Route::kOther)], 1u);
  EXPECT_EQ(stats.responses_4xx, 1u);
  EXPECT_STREQ(RouteName(Route::kMetrics), "metrics");
}

TEST_F(HttpServerTest, StopIsIdempotentAndClosesThePort) {
  StartServer();
  uint16_t bound = port();
  server_->Stop();
  server_->Stop();
  EXPECT_EQ(Fetch(bound, "GET", "/-/healthy").status, 0);
}

}  // namespace
}  // namespace modelwatch::server::testing
