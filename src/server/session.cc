#include "server/session.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace modelwatch::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;

constexpr double kLingerSeconds = 2;
// Enough to drain a client that sent a megabyte of header before reading our 431.
constexpr std::size_t kLingerMaxBytes = 4 * 1024 * 1024;
constexpr std::size_t kReadChunk = 4096;

bool IsHealth(Route route) { return route == Route::kHealthy || route == Route::kReady; }

}  // namespace

template <typename Stream>
Stream Session<Stream>::MakeStream(net::ip::tcp::socket&& socket, net::ssl::context* context) {
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    return Stream(std::move(socket), *context);
  } else {
    (void)context;
    return Stream(std::move(socket));
  }
}

template <typename Stream>
Session<Stream>::Session(net::ip::tcp::socket socket, std::shared_ptr<net::ssl::context> context,
                         std::shared_ptr<ServerState> state)
    : stream_(MakeStream(std::move(socket), context.get())),
      tls_context_(std::move(context)),
      timer_(stream_.get_executor()),
      state_(std::move(state)) {
  state_->active_connections.fetch_add(1);
}

template <typename Stream>
Session<Stream>::~Session() {
  state_->evictable.Remove(this);
  state_->active_connections.fetch_sub(1);
}

template <typename Stream>
net::ip::tcp::socket& Session<Stream>::Socket() {
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    return stream_.next_layer();
  } else {
    return stream_;
  }
}

template <typename Stream>
void Session<Stream>::Start() {
  // The first request's deadline runs from the connection on (as Go's ReadHeaderTimeout), the
  // TLS handshake included.
  net::dispatch(stream_.get_executor(), [self = Self()] {
    self->waiting_ = true;
    self->state_->evictable.Add(self.get());
    self->ResetParser();
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      self->Arm(Phase::kHeader, self->state_->options.read_header_timeout);
      self->stream_.async_handshake(net::ssl::stream_base::server,
                                    [self](beast::error_code ec) { self->OnHandshake(ec); });
    } else {
      self->ReadHeader();
    }
  });
}

template <typename Stream>
void Session<Stream>::OnHandshake(beast::error_code ec) {
  if (ec) {
    // A version or cipher we refuse, a client certificate we reject, or a plain-HTTP client.
    if (!finished_) Bump(state_->counters.tls_handshake_errors);
    return Finish();
  }
  ReadHeader();
}

template <typename Stream>
void Session<Stream>::Evict() {
  net::post(stream_.get_executor(), [self = Self()] {
    // It may have got its request meanwhile: then it is served, not closed.
    if (self->finished_ || !self->waiting_) return;
    Bump(self->state_->counters.connections_evicted);
    self->Finish();
  });
}

template <typename Stream>
void Session<Stream>::Arm(Phase phase, double seconds) {
  const unsigned generation = ++deadline_generation_;
  timer_.expires_after(Seconds(seconds));
  timer_.async_wait([self = Self(), generation, phase](beast::error_code ec) {
    // A stale expiry can be queued just before the operation it guarded completed.
    if (!ec && generation == self->deadline_generation_) self->OnDeadline(phase);
  });
}

template <typename Stream>
void Session<Stream>::OnDeadline(Phase phase) {
  Counters& counters = state_->counters;
  switch (phase) {
    case Phase::kHeader:
      Bump(counters.header_timeouts);
      break;
    case Phase::kIdle:
      Bump(counters.idle_closes);
      break;
    case Phase::kWrite:
      Bump(counters.write_timeouts);
      break;
    case Phase::kLinger:
      break;
  }
  beast::error_code ignored;
  Socket().close(ignored);
}

template <typename Stream>
void Session<Stream>::Finish() {
  finished_ = true;
  state_->evictable.Remove(this);
  ++deadline_generation_;
  timer_.cancel();
  beast::error_code ignored;
  Socket().close(ignored);
}

template <typename Stream>
void Session<Stream>::ResetParser() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(state_->options.max_request_header_bytes, UINT32_MAX)));
}

template <typename Stream>
void Session<Stream>::WaitForRequest() {
  ResetParser();
  waiting_ = true;
  state_->evictable.Add(this);
  if (buffer_.size() > 0) {  // pipelined: the next request has begun
    ReadHeader();
    return;
  }
  Arm(Phase::kIdle, state_->options.idle_timeout);
  stream_.async_read_some(
      buffer_.prepare(kReadChunk),
      [self = Self()](beast::error_code ec, std::size_t bytes) { self->OnFirstBytes(ec, bytes); });
}

template <typename Stream>
void Session<Stream>::OnFirstBytes(beast::error_code ec, std::size_t bytes) {
  if (ec) return Finish();  // closed by the peer, the idle deadline, eviction or Stop()
  buffer_.commit(bytes);
  ReadHeader();
}

template <typename Stream>
void Session<Stream>::ReadHeader() {
  Arm(Phase::kHeader, state_->options.read_header_timeout);
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = Self()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
}

template <typename Stream>
void Session<Stream>::OnHeader(beast::error_code ec) {
  waiting_ = false;
  state_->evictable.Remove(this);
  if (ec == http::error::header_limit) {
    Bump(state_->counters.header_too_large);
    return Send(TextResponse(http::status::request_header_fields_too_large,
                             "Request Header Fields Too Large\n", 11),
                true);
  }
  const bool malformed = ec.category() == http::make_error_code(http::error::bad_target).category();
  if (malformed && ec != http::error::end_of_stream && ec != http::error::partial_message) {
    Bump(state_->counters.bad_requests);
    return Send(TextResponse(http::status::bad_request, "Bad Request\n", 11), true);
  }
  if (ec) return Finish();  // the peer went away, or the deadline closed the socket
  Dispatch();
}

template <typename Stream>
void Session<Stream>::Dispatch() {
  Counters& counters = state_->counters;
  const http::request<http::empty_body>& request = parser_->get();
  const Route route = Classify(request.method(), ToStd(request.target()));
  Bump(counters.requests[static_cast<std::size_t>(route)]);
  keep_alive_ = request.keep_alive();
  const auto length = parser_->content_length();
  if (parser_->chunked() || (length && *length > 0)) {
    Bump(counters.bad_requests);
    return Send(TextResponse(http::status::payload_too_large, "Request bodies are not accepted\n",
                             request.version()),
                true);
  }
  Authorize(route);
}

template <typename Stream>
void Session<Stream>::Authorize(Route route) {
  const WebSecurity* web = state_->web.get();
  if (web == nullptr || !web->auth || (IsHealth(route) && !web->protect_health_endpoints)) {
    return Serve(route);
  }
  const http::request<http::empty_body>& request = parser_->get();
  auto header = request.find(http::field::authorization);
  std::optional<Credentials> credentials;
  if (header != request.end()) credentials = ParseBasicAuthorization(ToStd(header->value()));
  if (!credentials) return OnAuthorized(route, BasicAuth::Verdict::kDeny);
  // A cache miss waits for the bcrypt thread without a deadline: the queue is bounded and
  // each check takes a bcrypt's time; Stop() drops what is still queued.
  ++deadline_generation_;
  timer_.cancel();
  std::optional<BasicAuth::Verdict> now =
      web->auth->Check(*credentials, [self = Self(), route](BasicAuth::Verdict verdict) {
        net::post(self->stream_.get_executor(),
                  [self, route, verdict] { self->OnAuthorized(route, verdict); });
      });
  if (now) OnAuthorized(route, *now);
}

template <typename Stream>
void Session<Stream>::OnAuthorized(Route route, BasicAuth::Verdict verdict) {
  const unsigned version = parser_->get().version();
  switch (verdict) {
    case BasicAuth::Verdict::kAllow:
      return Serve(route);
    case BasicAuth::Verdict::kDeny: {
      Bump(state_->counters.auth_failures);
      Response response = TextResponse(http::status::unauthorized, "Unauthorized\n", version);
      response.set(http::field::www_authenticate, "Basic");
      return Send(std::move(response), false);
    }
    case BasicAuth::Verdict::kBusy: {
      Response response =
          TextResponse(http::status::service_unavailable, "Too many password checks\n", version);
      response.set(http::field::retry_after, "1");
      return Send(std::move(response), false);
    }
  }
}

template <typename Stream>
void Session<Stream>::Serve(Route route) {
  const http::request<http::empty_body>& request = parser_->get();
  if (!IsHeavy(route)) {
    bool failed = false;
    return Send(state_->router.Respond(request, failed), false);
  }
  if (state_->heavy_in_flight.fetch_add(1) >= state_->options.max_concurrent_requests) {
    state_->heavy_in_flight.fetch_sub(1);
    Bump(state_->counters.requests_rejected_concurrency);
    return Send(TextResponse(http::status::service_unavailable, "Too many concurrent requests\n",
                             request.version()),
                false);
  }
  ++deadline_generation_;  // no deadline while the application works; Stop() ends it
  timer_.cancel();
  RunOnWorker(parser_->release());
}

template <typename Stream>
void Session<Stream>::RunOnWorker(http::request<http::empty_body> request) {
  net::post(*state_->workers, [self = Self(), request = std::move(request)] {
    bool failed = false;
    Response response = self->state_->router.Respond(request, failed);
    self->state_->heavy_in_flight.fetch_sub(1);
    if (failed) Bump(self->state_->counters.handler_errors);
    net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
      self->Send(std::move(response), false);
    });
  });
}

template <typename Stream>
void Session<Stream>::Send(Response response, bool close) {
  const unsigned status = response.result_int();
  if (status >= 500) {
    Bump(state_->counters.responses_5xx);
  } else if (status >= 400) {
    Bump(state_->counters.responses_4xx);
  }
  if (state_->web) {
    for (const auto& [name, value] : state_->web->headers) response.set(name, value);
  }
  close_after_write_ = close || !keep_alive_;
  response.keep_alive(!close_after_write_);
  response_.emplace(std::move(response));
  Arm(Phase::kWrite, state_->options.write_timeout);
  http::async_write(stream_, *response_,
                    [self = Self()](beast::error_code ec, std::size_t) { self->OnWritten(ec); });
}

template <typename Stream>
void Session<Stream>::OnWritten(beast::error_code ec) {
  response_.reset();
  if (ec) return Finish();
  if (close_after_write_) return Linger();
  WaitForRequest();
}

template <typename Stream>
void Session<Stream>::Linger() {
  buffer_.clear();
  Arm(Phase::kLinger, kLingerSeconds);
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    // close_notify, then wait (under the linger deadline) for the client's.
    stream_.async_shutdown([self = Self()](beast::error_code) { self->Finish(); });
  } else {
    beast::error_code ignored;
    stream_.shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    OnLingerRead({}, 0);
  }
}

template <typename Stream>
void Session<Stream>::OnLingerRead(beast::error_code ec, std::size_t bytes) {
  lingered_bytes_ += bytes;
  if (ec || lingered_bytes_ > kLingerMaxBytes) return Finish();
  Socket().async_read_some(
      buffer_.prepare(kReadChunk),
      [self = Self()](beast::error_code ec, std::size_t bytes) { self->OnLingerRead(ec, bytes); });
}

template class Session<PlainStream>;
template class Session<TlsStream>;

}  // namespace modelwatch::server
