#include <modelwatch/server/http_server.h>

#include <algorithm>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include "server/listen_address.h"
#include "server/server_state.h"
#include "server/session.h"

namespace modelwatch::server {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr int kIoThreads = 2;
constexpr int kMaxWorkers = 4;
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

// Accepts connections one at a time; those over max_connections are closed at once.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& io, tcp::acceptor acceptor, std::shared_ptr<ServerState> state)
      : io_(io), acceptor_(std::move(acceptor)), retry_(io), state_(std::move(state)) {}

  void Accept() {
    acceptor_.async_accept(
        net::make_strand(io_),
        [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
          self->OnAccept(ec, std::move(socket));
        });
  }

  // Only while no I/O thread runs.
  void Close() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    retry_.cancel();
  }

 private:
  void OnAccept(boost::system::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (ec) {  // e.g. EMFILE: back off instead of spinning
      Bump(state_->counters.accept_errors);
      retry_.expires_after(kAcceptRetryDelay);
      retry_.async_wait([self = shared_from_this()](boost::system::error_code wait_ec) {
        if (!wait_ec) self->Accept();
      });
      return;
    }
    // At the cap, the connection that has waited longest for a request makes room; only when
    // every connection is busy with a request is the new one refused.
    if (state_->active_connections.load() >= state_->options.max_connections &&
        !state_->evictable.EvictOldest()) {
      Bump(state_->counters.connections_rejected);
      boost::system::error_code ignored;
      socket.close(ignored);
    } else {
      Bump(state_->counters.connections_accepted);
      const WebSecurity* web = state_->web.get();
      if (web != nullptr && web->tls) {
        std::make_shared<Session<TlsStream>>(std::move(socket), web->tls->Current(), state_)
            ->Start();
      } else {
        std::make_shared<Session<PlainStream>>(std::move(socket), nullptr, state_)->Start();
      }
    }
    Accept();
  }

  net::io_context& io_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
  std::shared_ptr<ServerState> state_;
};

Status Validate(const ServerOptions& o) {
  if (o.max_connections < 1) return Status::Error("server.max_connections must be at least 1");
  if (o.max_concurrent_requests < 1) {
    return Status::Error("server.max_concurrent_requests must be at least 1");
  }
  if (!(o.read_header_timeout > 0) || !(o.idle_timeout > 0) || !(o.write_timeout > 0)) {
    return Status::Error("server timeouts must be positive");
  }
  if (o.max_request_header_bytes < 256) {
    return Status::Error("server request header limit must be at least 256 bytes");
  }
  return Status::Ok();
}

Result<std::unique_ptr<WebSecurity>> MakeWebSecurity(const ServerOptions& o) {
  if (!o.web_config) return std::unique_ptr<WebSecurity>();
  auto web = std::make_unique<WebSecurity>();
  const config::WebConfig& c = *o.web_config;
  auto fail = [&](const Status& s) { return Status::Error(c.file + ": " + s.message()); };
  if (c.tls) {
    Result<std::unique_ptr<TlsContextSource>> tls = TlsContextSource::Create(*c.tls);
    if (!tls.ok()) return fail(tls.status());
    web->tls = std::move(tls).value();
  }
  if (!c.basic_auth_users.empty()) {
    Result<std::unique_ptr<BasicAuth>> auth =
        BasicAuth::Create(c.basic_auth_users, o.auth_queue_limit);
    if (!auth.ok()) return fail(auth.status());
    web->auth = std::move(auth).value();
  }
  web->headers = c.headers;
  web->protect_health_endpoints = o.protect_health_endpoints;
  return web;
}

}  // namespace

struct HttpServer::Impl {
  std::shared_ptr<ServerState> state;
  // Destroyed in Stop() in this order: workers, listener, io (each may hold sessions that use
  // the io_context).
  std::unique_ptr<net::io_context> io;
  std::unique_ptr<net::thread_pool> workers;
  std::shared_ptr<Listener> listener;
  std::vector<std::thread> threads;
  uint16_t port = 0;
  std::mutex stop_mu;
  bool stopped = false;
};

Result<std::unique_ptr<HttpServer>> HttpServer::Start(ServerOptions options, Handlers handlers) {
  if (Status valid = Validate(options); !valid.ok()) return valid;
  Result<std::unique_ptr<WebSecurity>> web = MakeWebSecurity(options);
  if (!web.ok()) return web.status();
  auto impl = std::make_unique<Impl>();
  impl->io = std::make_unique<net::io_context>(kIoThreads);
  Result<tcp::acceptor> acceptor = OpenAcceptor(*impl->io, options.listen_address);
  if (!acceptor.ok()) return acceptor.status();
  boost::system::error_code ec;
  impl->port = acceptor.value().local_endpoint(ec).port();
  if (ec) return Status::Error("listen tcp " + options.listen_address + ": " + ec.message());

  const int workers = std::clamp(options.max_concurrent_requests, 1, kMaxWorkers);
  impl->state = std::make_shared<ServerState>(std::move(options), std::move(handlers),
                                              std::move(web).value());
  impl->workers = std::make_unique<net::thread_pool>(workers);
  impl->state->workers = impl->workers.get();
  impl->listener = std::make_shared<Listener>(*impl->io, std::move(acceptor).value(), impl->state);
  impl->listener->Accept();
  for (int i = 0; i < kIoThreads; ++i) {
    impl->threads.emplace_back([io = impl->io.get()] { io->run(); });
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::Stop() {
  std::lock_guard<std::mutex> lock(impl_->stop_mu);
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->io->stop();
  for (std::thread& thread : impl_->threads) thread.join();
  impl_->workers->stop();  // queued requests are dropped; running callbacks finish
  impl_->workers->join();
  // Queued password checks hold sessions and would post to the io_context: drop them too.
  if (impl_->state->web && impl_->state->web->auth) impl_->state->web->auth->Stop();
  impl_->workers.reset();
  impl_->listener->Close();
  impl_->listener.reset();
  impl_->io.reset();  // destroys pending handlers, hence sessions, closing their sockets
}

Stats HttpServer::stats() const {
  const Counters& c = impl_->state->counters;
  auto get = [](const Counters::Counter& counter) {
    return counter.load(std::memory_order_relaxed);
  };
  Stats s;
  s.connections_accepted = get(c.connections_accepted);
  s.connections_rejected = get(c.connections_rejected);
  s.connections_active =
      static_cast<uint64_t>(std::max(0, impl_->state->active_connections.load()));
  s.accept_errors = get(c.accept_errors);
  for (std::size_t i = 0; i < kRouteCount; ++i) s.requests[i] = get(c.requests[i]);
  s.responses_4xx = get(c.responses_4xx);
  s.responses_5xx = get(c.responses_5xx);
  s.requests_rejected_concurrency = get(c.requests_rejected_concurrency);
  s.header_timeouts = get(c.header_timeouts);
  s.header_too_large = get(c.header_too_large);
  s.bad_requests = get(c.bad_requests);
  s.idle_closes = get(c.idle_closes);
  s.write_timeouts = get(c.write_timeouts);
  s.handler_errors = get(c.handler_errors);
  s.connections_evicted = get(c.connections_evicted);
  s.tls_handshake_errors = get(c.tls_handshake_errors);
  s.auth_failures = get(c.auth_failures);
  if (const WebSecurity* web = impl_->state->web.get()) {
    if (web->tls) {
      s.tls_reloads = web->tls->reloads();
      s.tls_reload_errors = web->tls->reload_errors();
      s.tls_last_reload_error = web->tls->last_error();
    }
    if (web->auth) {
      s.auth_bcrypt_checks = web->auth->counters().bcrypt_checks.load(std::memory_order_relaxed);
      s.auth_queue_full = web->auth->counters().queue_full.load(std::memory_order_relaxed);
    }
  }
  return s;
}

}  // namespace modelwatch::server
