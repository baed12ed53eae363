// The HTTP endpoint of the daemon (interface.md §3): /metrics, /, /-/healthy, /-/ready,
// /api/v1/status, GET and HEAD only, with the limits of reliability.md "HTTP".
//
// The server owns its threads: Start() binds, then serves on two I/O threads, which call only
// Handlers::ready, plus up to four worker threads for Handlers::metrics and ::status_json
// (rendering and gzip may take milliseconds, so they never block accepting or reading).
// Stop() (or destruction) closes the listener and every connection and joins all threads.
//
// Routing lives in a transport-agnostic Router (src/server/router.h); the session in front of it
// is plain TCP or TLS, with basic auth when the web config has users (src/server/session.h).
#ifndef MODELWATCH_SERVER_HTTP_SERVER_H_
#define MODELWATCH_SERVER_HTTP_SERVER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <modelwatch/config/web_config.h>
#include <modelwatch/core/status.h>

namespace modelwatch::server {

// Mirrors the `server:` keys of the configuration file; durations are in seconds.
struct ServerOptions {
  // "host:port". ":10100" = every interface (IPv6 dual-stack when available, else 0.0.0.0);
  // "127.0.0.1:0" (port 0 = ephemeral, see HttpServer::port()); "[::1]:10100"; "localhost:10100"
  // (resolved; the first address that binds is used).
  std::string listen_address = ":10100";
  // Connections past this are accepted and closed at once (Stats::connections_rejected).
  int max_connections = 64;
  // Requests to /metrics and /api/v1/status (the ones that call the application) being answered
  // at once, counted once headers are read; past it 503. The cheap paths (/, /-/healthy,
  // /-/ready) are exempt so that probes keep working while scrapes pile up.
  int max_concurrent_requests = 8;
  // From the first byte of a request until its header is complete (slowloris).
  double read_header_timeout = 5;
  // Keep-alive: how long a connection may wait for the first byte of its next request.
  double idle_timeout = 60;
  // Writing one response (a client that stops reading). Not a configuration key.
  double write_timeout = 30;
  // Request line plus header fields; past it 431 and the connection is closed.
  std::size_t max_request_header_bytes = 8192;
  // TLS, basic auth and extra headers (server.web_config_file); none: plain HTTP, open.
  std::optional<config::WebConfig> web_config{};
  // With basic auth: /-/healthy and /-/ready ask for it too (default: open for probes).
  bool protect_health_endpoints = false;
  // Password checks (bcrypt, one at a time) that may wait; past it 503 at once. Not a
  // configuration key.
  std::size_t auth_queue_limit = 16;
};

// What the application supplies. Every callback may be called from several threads at once.
struct Handlers {
  // The exposition, text format 0.0.4. Runs on a worker thread.
  std::function<std::string()> metrics;
  // Readiness for /-/ready. Runs on an I/O thread: must be cheap and never block (an atomic).
  std::function<bool()> ready;
  // The body of /api/v1/status (a JSON document). Runs on a worker thread.
  std::function<std::string()> status_json;
  std::string landing_title = "modelwatch";
  std::string version;
};

// Routes counted in Stats::requests; kOther = unknown path or method not allowed.
enum class Route { kMetrics, kLanding, kHealthy, kReady, kStatus, kOther };
inline constexpr std::size_t kRouteCount = 6;
// "metrics", "landing", "healthy", "ready", "status", "other": for a label value.
const char* RouteName(Route route);

// Counters since Start (monotonic), for the application to export.
struct Stats {
  uint64_t connections_accepted = 0;  // served (not rejected)
  uint64_t connections_rejected = 0;  // over max_connections
  uint64_t connections_active = 0;    // a gauge: open now
  uint64_t accept_errors = 0;         // accept() failed (e.g. out of descriptors); retried
  std::array<uint64_t, kRouteCount> requests{};  // by Route, every request whose header was read
  uint64_t responses_4xx = 0;
  uint64_t responses_5xx = 0;
  uint64_t requests_rejected_concurrency = 0;  // the 503s of max_concurrent_requests
  uint64_t header_timeouts = 0;                // read_header_timeout expired mid-request
  uint64_t header_too_large = 0;               // the 431s
  uint64_t bad_requests = 0;                   // unparsable requests (400), bodies (413)
  uint64_t idle_closes = 0;                    // keep-alive connections closed by idle_timeout
  uint64_t write_timeouts = 0;
  uint64_t handler_errors = 0;  // a callback threw: 500
  // Connections closed while waiting for a request to admit a new one at max_connections.
  uint64_t connections_evicted = 0;
  uint64_t tls_handshake_errors = 0;  // refused version/cipher/client certificate, not TLS
  uint64_t tls_reloads = 0;           // certificate/key/CA files changed and were loaded
  uint64_t tls_reload_errors = 0;     // ... and could not be loaded (the old ones still serve)
  std::string tls_last_reload_error;  // why the latest reload failed; empty after a success
  uint64_t auth_failures = 0;         // 401s
  uint64_t auth_bcrypt_checks = 0;    // password checks that ran bcrypt (cache misses)
  uint64_t auth_queue_full = 0;       // 503s: too many password checks waiting
};

class HttpServer {
 public:
  // Binds and starts serving. Fails (nothing left running) on a bad address, when binding
  // fails, e.g. "listen tcp :10100: address already in use", or on a web config whose files
  // cannot be loaded or whose hashes libcrypt cannot check.
  static Result<std::unique_ptr<HttpServer>> Start(ServerOptions options, Handlers handlers);

  ~HttpServer();  // Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port (the ephemeral one for port 0).
  uint16_t port() const;
  // Idempotent. Waits for callbacks already running; never call it from a callback.
  void Stop();
  Stats stats() const;

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace modelwatch::server

#endif  // MODELWATCH_SERVER_HTTP_SERVER_H_
