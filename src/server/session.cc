#include "server/session.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace modelwatch::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;

constexpr double kLingerSeconds = 2;
constexpr std::size_t kLingerMaxBytes = 256 * 1024;
constexpr std::size_t kReadChunk = 4096;

}  // namespace

Session::Session(net::ip::tcp::socket socket, std::shared_ptr<ServerState> state)
    : socket_(std::move(socket)), timer_(socket_.get_executor()), state_(std::move(state)) {
  state_->active_connections.fetch_add(1);
}

Session::~Session() { state_->active_connections.fetch_sub(1); }

void Session::Start() {
  // The first request's deadline runs from the connection on (as Go's ReadHeaderTimeout).
  net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
    self->ResetParser();
    self->ReadHeader();
  });
}

void Session::Arm(Phase phase, double seconds) {
  const unsigned generation = ++deadline_generation_;
  timer_.expires_after(Seconds(seconds));
  timer_.async_wait([self = shared_from_this(), generation, phase](beast::error_code ec) {
    // A stale expiry can be queued just before the operation it guarded completed.
    if (!ec && generation == self->deadline_generation_) self->OnDeadline(phase);
  });
}

void Session::OnDeadline(Phase phase) {
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
  socket_.close(ignored);
}

void Session::Finish() {
  ++deadline_generation_;
  timer_.cancel();
  beast::error_code ignored;
  socket_.close(ignored);
}

void Session::ResetParser() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(state_->options.max_request_header_bytes, UINT32_MAX)));
}

void Session::WaitForRequest() {
  ResetParser();
  if (buffer_.size() > 0) {  // pipelined: the next request has begun
    ReadHeader();
    return;
  }
  Arm(Phase::kIdle, state_->options.idle_timeout);
  socket_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                            self->OnFirstBytes(ec, bytes);
                          });
}

void Session::OnFirstBytes(beast::error_code ec, std::size_t bytes) {
  if (ec) return Finish();  // closed by the peer, the idle deadline or Stop()
  buffer_.commit(bytes);
  ReadHeader();
}

void Session::ReadHeader() {
  Arm(Phase::kHeader, state_->options.read_header_timeout);
  http::async_read_header(
      socket_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
}

void Session::OnHeader(beast::error_code ec) {
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

void Session::Dispatch() {
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
  if (!IsHeavy(route)) {
    bool failed = false;
    return Send(state_->router.Respond(request, failed), false);
  }
  if (state_->heavy_in_flight.fetch_add(1) >= state_->options.max_concurrent_requests) {
    state_->heavy_in_flight.fetch_sub(1);
    Bump(counters.requests_rejected_concurrency);
    return Send(TextResponse(http::status::service_unavailable, "Too many concurrent requests\n",
                             request.version()),
                false);
  }
  ++deadline_generation_;  // no deadline while the application works; Stop() ends it
  timer_.cancel();
  RunOnWorker(parser_->release());
}

void Session::RunOnWorker(http::request<http::empty_body> request) {
  net::post(*state_->workers, [self = shared_from_this(), request = std::move(request)] {
    bool failed = false;
    Response response = self->state_->router.Respond(request, failed);
    self->state_->heavy_in_flight.fetch_sub(1);
    if (failed) Bump(self->state_->counters.handler_errors);
    net::post(self->socket_.get_executor(), [self, response = std::move(response)]() mutable {
      self->Send(std::move(response), false);
    });
  });
}

void Session::Send(Response response, bool close) {
  const unsigned status = response.result_int();
  if (status >= 500) {
    Bump(state_->counters.responses_5xx);
  } else if (status >= 400) {
    Bump(state_->counters.responses_4xx);
  }
  close_after_write_ = close || !keep_alive_;
  response.keep_alive(!close_after_write_);
  response_.emplace(std::move(response));
  Arm(Phase::kWrite, state_->options.write_timeout);
  http::async_write(
      socket_, *response_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnWritten(ec); });
}

void Session::OnWritten(beast::error_code ec) {
  response_.reset();
  if (ec) return Finish();
  if (close_after_write_) return Linger();
  WaitForRequest();
}

void Session::Linger() {
  beast::error_code ignored;
  socket_.shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  buffer_.clear();
  Arm(Phase::kLinger, kLingerSeconds);
  OnLingerRead({}, 0);
}

void Session::OnLingerRead(beast::error_code ec, std::size_t bytes) {
  lingered_bytes_ += bytes;
  if (ec || lingered_bytes_ > kLingerMaxBytes) return Finish();
  socket_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                            self->OnLingerRead(ec, bytes);
                          });
}

}  // namespace modelwatch::server
