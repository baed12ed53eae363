#include "server/router.h"

#include <exception>

#include <boost/beast/http/field.hpp>

#include "server/gzip.h"

namespace modelwatch::server {
namespace {

constexpr char kMetricsType[] = "text/plain; version=0.0.4; charset=utf-8";

std::string HtmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Response WithBody(http::status status, const char* content_type, std::string body,
                  unsigned version) {
  Response response(status, version);
  response.set(http::field::content_type, content_type);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

}  // namespace

const char* RouteName(Route route) {
  switch (route) {
    case Route::kMetrics:
      return "metrics";
    case Route::kLanding:
      return "landing";
    case Route::kHealthy:
      return "healthy";
    case Route::kReady:
      return "ready";
    case Route::kStatus:
      return "status";
    case Route::kOther:
      break;
  }
  return "other";
}

Route Classify(http::verb method, std::string_view target) {
  if (method != http::verb::get && method != http::verb::head) return Route::kOther;
  std::string_view path = target.substr(0, target.find('?'));
  if (path == "/metrics") return Route::kMetrics;
  if (path == "/") return Route::kLanding;
  if (path == "/-/healthy") return Route::kHealthy;
  if (path == "/-/ready") return Route::kReady;
  if (path == "/api/v1/status") return Route::kStatus;
  return Route::kOther;
}

bool IsHeavy(Route route) { return route == Route::kMetrics || route == Route::kStatus; }

Response TextResponse(http::status status, std::string body, unsigned version) {
  return WithBody(status, "text/plain; charset=utf-8", std::move(body), version);
}

Response Router::Respond(const RequestHeader& request, bool& handler_failed) const {
  handler_failed = false;
  const unsigned version = request.version();
  const http::verb method = request.method();
  Response response;
  if (method != http::verb::get && method != http::verb::head) {
    response = TextResponse(http::status::method_not_allowed, "Method Not Allowed\n", version);
    response.set(http::field::allow, "GET, HEAD");
    return response;
  }
  try {
    switch (Classify(method, ToStd(request.target()))) {
      case Route::kMetrics:
        response = Metrics(request);
        break;
      case Route::kLanding:
        response = Landing(version);
        break;
      case Route::kHealthy:
        response = TextResponse(http::status::ok, "OK", version);
        break;
      case Route::kReady:
        response = !handlers_.ready || handlers_.ready()
                       ? TextResponse(http::status::ok, "OK", version)
                       : TextResponse(http::status::service_unavailable, "Not ready", version);
        break;
      case Route::kStatus:
        response = WithBody(http::status::ok, "application/json",
                            handlers_.status_json ? handlers_.status_json() : "{}", version);
        break;
      case Route::kOther:
        response = TextResponse(http::status::not_found, "404 page not found\n", version);
        break;
    }
  } catch (const std::exception& e) {
    handler_failed = true;
    response = TextResponse(http::status::internal_server_error,
                            std::string("internal error: ") + e.what() + "\n", version);
  } catch (...) {
    handler_failed = true;
    response = TextResponse(http::status::internal_server_error, "internal error\n", version);
  }
  if (method == http::verb::head) {
    response.content_length(response.body().size());
    response.body().clear();  // Content-Length stays that of GET; no prepare_payload after this
  }
  return response;
}

Response Router::Metrics(const RequestHeader& request) const {
  std::string text = handlers_.metrics ? handlers_.metrics() : std::string();
  bool gzip = false;
  auto accept = request.find(http::field::accept_encoding);
  if (accept != request.end() && AcceptsGzip(ToStd(accept->value()))) {
    Result<std::string> compressed = GzipCompress(text);
    if (compressed.ok()) {  // else fall back to identity
      text = std::move(compressed).value();
      gzip = true;
    }
  }
  Response response = WithBody(http::status::ok, kMetricsType, std::move(text), request.version());
  if (gzip) response.set(http::field::content_encoding, "gzip");
  response.set(http::field::vary, "Accept-Encoding");
  return response;
}

Response Router::Landing(unsigned version) const {
  const std::string title = HtmlEscape(handlers_.landing_title);
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"UTF-8\">\n<title>" + title +
      "</title>\n<style>body{font-family:sans-serif;margin:0}"
      "header{background:#e6522c;color:#fff;padding:.5em 1em}main{padding:0 1em}</style>\n"
      "</head>\n<body>\n<header><h1>" +
      title + "</h1></header>\n<main>\n";
  if (!handlers_.version.empty()) {
    html += "<p>Version: " + HtmlEscape(handlers_.version) + "</p>\n";
  }
  html +=
      "<ul>\n"
      "<li><a href=\"/metrics\">Metrics</a></li>\n"
      "<li><a href=\"/-/healthy\">Health</a></li>\n"
      "<li><a href=\"/-/ready\">Readiness</a></li>\n"
      "<li><a href=\"/api/v1/status\">Status</a> (JSON)</li>\n"
      "</ul>\n</main>\n</body>\n</html>\n";
  return WithBody(http::status::ok, "text/html; charset=utf-8", std::move(html), version);
}

}  // namespace modelwatch::server
