// The listen address of server.listen_address ("host:port", Go's net.Listen spelling) and the
// listening socket made from it.
#ifndef MODELWATCH_SERVER_LISTEN_ADDRESS_H_
#define MODELWATCH_SERVER_LISTEN_ADDRESS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <modelwatch/core/status.h>

namespace modelwatch::server {

struct ListenAddress {
  std::string host;  // empty: every interface; an IPv6 literal without its brackets
  uint16_t port = 0;
};

// ":10100", "127.0.0.1:0", "[::1]:10100", "localhost:10100".
Result<ListenAddress> ParseListenAddress(std::string_view text);

// A listening acceptor on `text`. An empty host listens on [::] dual-stack, or 0.0.0.0 where
// IPv6 is unavailable; a name is resolved and its first address that binds is used. Errors read
// like Go's: "listen tcp :10100: address already in use".
Result<boost::asio::ip::tcp::acceptor> OpenAcceptor(boost::asio::io_context& io,
                                                    std::string_view text);

}  // namespace modelwatch::server

#endif  // MODELWATCH_SERVER_LISTEN_ADDRESS_H_
