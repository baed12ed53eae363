// A started HttpServer on 127.0.0.1:<ephemeral> with small handlers a test may replace before
// StartServer().
#ifndef MODELWATCH_TESTS_UNIT_SERVER_SERVER_FIXTURE_H_
#define MODELWATCH_TESTS_UNIT_SERVER_SERVER_FIXTURE_H_

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include <modelwatch/server/http_server.h>

#include "unit/server/raw_client.h"

namespace modelwatch::server::testing {

inline constexpr char kExposition[] =
    "# HELP modelwatch_up Whether the pipeline runs.\n# TYPE modelwatch_up gauge\n"
    "modelwatch_up 1\n";

class ServerTest : public ::testing::Test {
 protected:
  // Starts with `options` on 127.0.0.1:0 and handlers_.
  void StartServer(ServerOptions options = {}) {
    options.listen_address = "127.0.0.1:0";
    Result<std::unique_ptr<HttpServer>> started = HttpServer::Start(options, handlers_);
    ASSERT_TRUE(started.ok()) << started.status().message();
    server_ = std::move(started).value();
  }
  uint16_t port() const { return server_->port(); }
  Reply Get(std::string_view target, std::string_view extra = "") {
    return Fetch(port(), "GET", target, extra);
  }

  std::atomic<bool> ready_{false};
  Handlers handlers_{
      .metrics = [] { return std::string(kExposition); },
      .ready = [this] { return ready_.load(); },
      .status_json = [] { return std::string(R"({"models":[]})"); },
      .landing_title = "modelwatch",
      .version = "1.2.3",
  };
  std::unique_ptr<HttpServer> server_;  // last: stopped before the state its handlers use
};

}  // namespace modelwatch::server::testing

#endif  // MODELWATCH_TESTS_UNIT_SERVER_SERVER_FIXTURE_H_
