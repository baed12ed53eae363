// One plain-TCP HTTP/1.1 connection: reads a header under the header deadline, routes it (heavy
// routes on a worker, under the concurrency cap), writes the answer, and waits for the next
// request under the idle deadline. All its work runs on its own strand.
//
// Deadlines use the session's own timer rather than beast::tcp_stream's so that a timeout is
// counted before the socket is closed (the peer sees the close after the counter moved).
#ifndef MODELWATCH_SERVER_SESSION_H_
#define MODELWATCH_SERVER_SESSION_H_

#include <cstddef>
#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

#include "server/router.h"
#include "server/server_state.h"

namespace modelwatch::server {

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `socket` must use a strand executor. Counts itself in state->active_connections.
  Session(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start();

 private:
  enum class Phase { kHeader, kIdle, kWrite, kLinger };
  // One deadline at a time; arming replaces the previous one. On expiry the phase's counter is
  // bumped and the socket closed, which aborts the pending operation.
  void Arm(Phase phase, double seconds);
  void OnDeadline(Phase phase);
  // Ends the session: no deadline keeps it alive, the socket is closed.
  void Finish();
  void ResetParser();
  void WaitForRequest();
  void OnFirstBytes(boost::beast::error_code ec, std::size_t bytes);
  void ReadHeader();
  void OnHeader(boost::beast::error_code ec);
  void Dispatch();
  void RunOnWorker(http::request<http::empty_body> request);
  // Sends `response`; `close` ends the connection after it whatever the request asked.
  void Send(Response response, bool close);
  void OnWritten(boost::beast::error_code ec);
  // Half-closes, then reads and discards what the client still sends for a short while, so that
  // closing with unread data does not reset the connection before the client read our answer.
  void Linger();
  void OnLingerRead(boost::beast::error_code ec, std::size_t bytes);

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  unsigned deadline_generation_ = 0;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> parser_;
  std::optional<Response> response_;  // the one being written
  bool keep_alive_ = false;
  bool close_after_write_ = false;
  std::size_t lingered_bytes_ = 0;
  std::shared_ptr<ServerState> state_;
};

}  // namespace modelwatch::server

#endif  // MODELWATCH_SERVER_SESSION_H_
