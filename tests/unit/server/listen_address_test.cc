#include "server/listen_address.h"

#include <gtest/gtest.h>

#include <modelwatch/server/http_server.h>

#include "unit/server/raw_client.h"

namespace modelwatch::server {
namespace {

TEST(ParseListenAddressTest, AcceptsGoStyleHostPort) {
  struct Case {
    const char* text;
    const char* host;
    uint16_t port;
  };
  const Case cases[] = {
      {":10100", "", 10100},
      {"127.0.0.1:0", "127.0.0.1", 0},
      {"[::1]:10100", "::1", 10100},
      {"localhost:65535", "localhost", 65535},
  };
  for (const Case& c : cases) {
    Result<ListenAddress> parsed = ParseListenAddress(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.status().message();
    EXPECT_EQ(parsed.value().host, c.host);
    EXPECT_EQ(parsed.value().port, c.port);
  }
}

TEST(ParseListenAddressTest, RejectsMalformedAddresses) {
  for (const char* text :
       {"10100", "host:", "host:http", "host:65536", "::1:80", "[::1:80", "127.0.0.1:-1"}) {
    Result<ListenAddress> parsed = ParseListenAddress(text);
    EXPECT_FALSE(parsed.ok()) << text;
  }
  EXPECT_EQ(ParseListenAddress("10100").status().message(),
            "invalid listen address \"10100\": missing port");
}

// Every interface: reachable through the IPv4 loopback whether dual-stack or 0.0.0.0.
TEST(ListenAddressServerTest, EmptyHostServesIpv4Loopback) {
  Result<std::unique_ptr<HttpServer>> server = HttpServer::Start({.listen_address = ":0"}, {});
  ASSERT_TRUE(server.ok()) << server.status().message();
  EXPECT_EQ(testing::Fetch(server.value()->port(), "GET", "/-/healthy").status, 200);
}

TEST(ListenAddressServerTest, HostNameIsResolved) {
  Result<std::unique_ptr<HttpServer>> server =
      HttpServer::Start({.listen_address = "localhost:0"}, {});
  ASSERT_TRUE(server.ok()) << server.status().message();
  EXPECT_NE(server.value()->port(), 0);
}

TEST(ListenAddressServerTest, UnresolvableHostFailsWithTheAddressInTheMessage) {
  Result<std::unique_ptr<HttpServer>> server =
      HttpServer::Start({.listen_address = "no-such-host.invalid:0"}, {});
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().message().rfind("listen tcp no-such-host.invalid:0: ", 0), 0u)
      << server.status().message();
}

}  // namespace
}  // namespace modelwatch::server
