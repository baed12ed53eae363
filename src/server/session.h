// One HTTP/1.1 connection, plain TCP or TLS: (TLS handshake,) reads a header under the header
// deadline, checks basic auth when the web config asks for it, routes the request (heavy routes
// on a worker, under the concurrency cap), writes the answer, and waits for the next request
// under the idle deadline. All its work runs on its own strand.
//
// Deadlines use the session's own timer rather than beast::tcp_stream's so that a timeout is
// counted before the socket is closed (the peer sees the close after the counter moved).
//
// While it waits for a request (handshake, idle, header not complete) a session is "evictable":
// when max_connections is reached, the listener closes the one that has waited longest to admit
// the new connection, so clients that trickle bytes cannot hold every slot (slowloris).
#ifndef MODELWATCH_SERVER_SESSION_H_
#define MODELWATCH_SERVER_SESSION_H_

#include <cstddef>
#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

#include "server/basic_auth.h"
#include "server/router.h"
#include "server/server_state.h"

namespace modelwatch::server {

using PlainStream = boost::asio::ip::tcp::socket;
using TlsStream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

template <typename Stream>
class Session : public SessionBase {
 public:
  // The socket must use a strand executor. `context`: TLS only (null for plain TCP), kept alive
  // by the session since certificates may be swapped meanwhile. Counts itself in
  // state->active_connections.
  Session(boost::asio::ip::tcp::socket socket, std::shared_ptr<boost::asio::ssl::context> context,
          std::shared_ptr<ServerState> state);
  ~Session() override;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start();
  void Evict() override;

 private:
  enum class Phase { kHeader, kIdle, kWrite, kLinger };
  static Stream MakeStream(boost::asio::ip::tcp::socket&& socket,
                           boost::asio::ssl::context* context);
  boost::asio::ip::tcp::socket& Socket();
  // One deadline at a time; arming replaces the previous one. On expiry the phase's counter is
  // bumped and the socket closed, which aborts the pending operation.
  void Arm(Phase phase, double seconds);
  void OnDeadline(Phase phase);
  // Ends the session: no deadline keeps it alive, the socket is closed.
  void Finish();
  void ResetParser();
  void OnHandshake(boost::beast::error_code ec);
  void WaitForRequest();
  void OnFirstBytes(boost::beast::error_code ec, std::size_t bytes);
  void ReadHeader();
  void OnHeader(boost::beast::error_code ec);
  void Dispatch();
  // After the header: basic auth (maybe waiting for the bcrypt thread), then Serve.
  void Authorize(Route route);
  void OnAuthorized(Route route, BasicAuth::Verdict verdict);
  void Serve(Route route);
  void RunOnWorker(http::request<http::empty_body> request);
  // Sends `response`; `close` ends the connection after it whatever the request asked.
  void Send(Response response, bool close);
  void OnWritten(boost::beast::error_code ec);
  // Half-closes (TLS: close_notify), then reads and discards what the client still sends for a
  // short while, so that closing with unread data does not reset the connection before the
  // client read our answer.
  void Linger();
  void OnLingerRead(boost::beast::error_code ec, std::size_t bytes);

  std::shared_ptr<Session> Self() { return std::static_pointer_cast<Session>(shared_from_this()); }

  Stream stream_;
  std::shared_ptr<boost::asio::ssl::context> tls_context_;  // TLS only
  boost::asio::steady_timer timer_;
  unsigned deadline_generation_ = 0;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> parser_;
  std::optional<Response> response_;  // the one being written
  bool keep_alive_ = false;
  bool close_after_write_ = false;
  bool finished_ = false;
  bool waiting_ = false;  // for a request: evictable
  std::size_t lingered_bytes_ = 0;
  std::shared_ptr<ServerState> state_;
};

extern template class Session<PlainStream>;
extern template class Session<TlsStream>;

}  // namespace modelwatch::server

#endif  // MODELWATCH_SERVER_SESSION_H_
