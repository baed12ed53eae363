// HTTP request handling without sockets: the bytes a client sends go through the same Beast
// parser settings as a session (header limit, no body), then the router, the Authorization
// parser, the Accept-Encoding negotiation and basic auth, as Session does with them.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

#include "server/basic_auth.h"
#include "server/gzip.h"
#include "server/router.h"

namespace {

namespace http = boost::beast::http;
using namespace modelwatch::server;

const Handlers& TestHandlers() {
  static const Handlers handlers{
      .metrics = [] { return std::string("# TYPE up gauge\nup 1\n"); },
      .ready = [] { return true; },
      .status_json = [] { return std::string("{}"); },
      .landing_title = "fuzz <&>",
      .version = "0",
  };
  return handlers;
}

BasicAuth& Auth() {
  // Cost 4: the fuzzer should spend its time on parsing, not bcrypt.
  static std::unique_ptr<BasicAuth> auth = [] {
    auto hash = BcryptHash("pw", 4);
    if (!hash.ok()) std::abort();
    auto a = BasicAuth::Create({{"u", hash.value()}}, 4, 64);
    if (!a.ok()) std::abort();
    return std::move(a).value();
  }();
  return *auth;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Router router(TestHandlers());
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Requests keep coming on one connection (pipelining), as a session reads them.
  for (int requests = 0; requests < 8 && !bytes.empty(); ++requests) {
    http::request_parser<http::empty_body> parser;
    parser.header_limit(1024);
    parser.eager(false);
    boost::beast::error_code ec;
    // All the bytes so far in one buffer, as the session's flat_buffer holds them.
    const std::size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    if (ec) return 0;  // incomplete (the client waits), or 400/431 and the connection closes
    if (!parser.is_header_done()) return 0;
    const auto& request = parser.get();
    const Route route = Classify(request.method(), ToStd(request.target()));
    (void)RouteName(route);
    if (auto auth = request.find(http::field::authorization); auth != request.end()) {
      if (auto credentials = ParseBasicAuthorization(ToStd(auth->value()))) {
        const BasicAuth::Verdict v = Auth().CheckAndWait(*credentials);
        if (v == BasicAuth::Verdict::kAllow &&
            (credentials->user != "u" || credentials->password != "pw")) {
          std::abort();
        }
      }
    }
    if (auto enc = request.find(http::field::accept_encoding); enc != request.end()) {
      (void)AcceptsGzip(ToStd(enc->value()));
    }
    bool failed = false;
    Response response = router.Respond(request, failed);
    if (failed || response.result_int() < 200) std::abort();
    if (parser.chunked() || (parser.content_length() && *parser.content_length() > 0)) return 0;
    bytes.remove_prefix(used);
  }
  return 0;
}
