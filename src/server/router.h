// Routing and responses, independent of the transport: the plain TCP session calls it today, a
// TLS session (and basic auth in front of it) will call it the same way.
#ifndef MODELWATCH_SERVER_ROUTER_H_
#define MODELWATCH_SERVER_ROUTER_H_

#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>

#include <modelwatch/server/http_server.h>

namespace modelwatch::server {

namespace http = boost::beast::http;
using Response = http::response<http::string_body>;
using RequestHeader = http::request_header<>;

inline std::string_view ToStd(boost::beast::string_view s) { return {s.data(), s.size()}; }

// The route of a request target; the query string is ignored. A method other than GET or HEAD
// is Route::kOther (answered 405).
Route Classify(http::verb method, std::string_view target);

// True for routes whose answer calls application code that may take time: they run on a worker
// and count against max_concurrent_requests.
bool IsHeavy(Route route);

// A small text/plain response (errors, health), with Content-Length set.
Response TextResponse(http::status status, std::string body, unsigned version);

class Router {
 public:
  explicit Router(const Handlers& handlers) : handlers_(handlers) {}

  // The complete answer to `request` (keep-alive not yet decided by the caller). HEAD gets the
  // headers of GET, Content-Length included, and no body. A callback that throws gives 500 and
  // sets `handler_failed`.
  Response Respond(const RequestHeader& request, bool& handler_failed) const;

 private:
  Response Metrics(const RequestHeader& request) const;
  Response Landing(unsigned version) const;

  const Handlers& handlers_;
};

}  // namespace modelwatch::server

#endif  // MODELWATCH_SERVER_ROUTER_H_
