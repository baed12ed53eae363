#include "server/listen_address.h"

#include <cctype>
#include <charconv>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/v6_only.hpp>

namespace modelwatch::server {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// Go style: strerror text starting in lower case ("address already in use").
std::string Reason(const boost::system::error_code& ec) {
  std::string message = ec.message();
  if (!message.empty()) {
    message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
  }
  return message;
}

Status ListenError(std::string_view text, const std::string& reason) {
  return Status::Error("listen tcp " + std::string(text) + ": " + reason);
}

// Opens, binds and listens; on failure the acceptor is left closed.
boost::system::error_code Listen(tcp::acceptor& acceptor, const tcp::endpoint& endpoint,
                                 bool dual_stack) {
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec && dual_stack) acceptor.set_option(net::ip::v6_only(false), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
  }
  return ec;
}

}  // namespace

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  auto invalid = [&](const char* why) {
    return Status::Error("invalid listen address \"" + std::string(text) + "\": " + why);
  };
  std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return invalid("missing port");
  std::string_view host = text.substr(0, colon);
  std::string_view port = text.substr(colon + 1);
  if (!host.empty() && host.front() == '[') {
    if (host.size() < 2 || host.back() != ']') return invalid("unbalanced brackets");
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return invalid("IPv6 addresses need brackets, as in [::1]:10100");
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    return invalid("bad port");
  }
  return ListenAddress{std::string(host), static_cast<uint16_t>(value)};
}

Result<tcp::acceptor> OpenAcceptor(net::io_context& io, std::string_view text) {
  Result<ListenAddress> parsed = ParseListenAddress(text);
  if (!parsed.ok()) return parsed.status();
  const ListenAddress& address = parsed.value();
  tcp::acceptor acceptor(io);
  boost::system::error_code ec;

  if (address.host.empty()) {
    ec = Listen(acceptor, tcp::endpoint(tcp::v6(), address.port), /*dual_stack=*/true);
    if (ec == net::error::address_family_not_supported || ec == net::error::no_protocol_option ||
        ec == boost::system::errc::address_not_available) {
      ec = Listen(acceptor, tcp::endpoint(tcp::v4(), address.port), false);
    }
    if (ec) return ListenError(text, Reason(ec));
    return acceptor;
  }

  std::vector<tcp::endpoint> endpoints;
  net::ip::address literal = net::ip::make_address(address.host, ec);
  if (!ec) {
    endpoints.emplace_back(literal, address.port);
  } else {
    tcp::resolver resolver(io);
    auto results = resolver.resolve(address.host, std::to_string(address.port),
                                    tcp::resolver::numeric_service, ec);
    if (ec) return ListenError(text, "lookup " + address.host + ": " + Reason(ec));
    for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  }
  if (endpoints.empty()) return ListenError(text, "no address for " + address.host);
  for (const tcp::endpoint& endpoint : endpoints) {
    ec = Listen(acceptor, endpoint, false);
    if (!ec) return acceptor;
  }
  return ListenError(text, Reason(ec));
}

}  // namespace modelwatch::server
