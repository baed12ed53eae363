// A blocking HTTP/1.1 client on raw sockets for the server tests: every wait is bounded by a
// deadline on poll(), so a misbehaving server fails a test instead of hanging it.
#ifndef MODELWATCH_TESTS_UNIT_SERVER_RAW_CLIENT_H_
#define MODELWATCH_TESTS_UNIT_SERVER_RAW_CLIENT_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace modelwatch::server::testing {

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class RawConnection {
 public:
  explicit RawConnection(uint16_t port) {  // 127.0.0.1; fd() < 0 on failure
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  int fd() const { return fd_; }

  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Appends what arrives until the server closes (true) or `seconds` pass (false). A reset
  // counts as closed.
  bool ReadToEof(double seconds, std::string* out) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    char chunk[4096];
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) return true;
      out->append(chunk, static_cast<size_t>(n));
    }
  }

 private:
  int fd_ = -1;
};

// Takes one response off the front of `raw`; `head` = the request was HEAD (no body follows).
inline std::optional<Reply> TakeReply(std::string& raw, bool head = false) {
  size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos || raw.compare(0, 9, "HTTP/1.1 ") != 0) return std::nullopt;
  Reply reply;
  reply.status = std::atoi(raw.c_str() + 9);
  size_t line = raw.find("\r\n") + 2;
  while (line < end + 2) {
    size_t next = raw.find("\r\n", line);
    std::string field = raw.substr(line, next - line);
    size_t colon = field.find(':');
    std::string name = field.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    size_t value = field.find_first_not_of(' ', colon + 1);
    reply.headers[name] = value == std::string::npos ? "" : field.substr(value);
    line = next + 2;
  }
  size_t length = head ? 0 : std::strtoul(reply.Header("content-length").c_str(), nullptr, 10);
  if (raw.size() < end + 4 + length) return std::nullopt;
  reply.body = raw.substr(end + 4, length);
  raw.erase(0, end + 4 + length);
  return reply;
}

// One request with "Connection: close"; `extra` holds more header lines, each ending in CRLF.
// Status 0 when no complete response came back.
inline Reply Fetch(uint16_t port, std::string_view method, std::string_view target,
                   std::string_view extra = "") {
  RawConnection connection(port);
  std::string request = std::string(method) + " " + std::string(target) +
                        " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n" + std::string(extra) +
                        "\r\n";
  std::string raw;
  if (connection.fd() < 0 || !connection.Send(request) || !connection.ReadToEof(5, &raw)) {
    return Reply{};
  }
  std::optional<Reply> reply = TakeReply(raw, method == "HEAD");
  return reply ? *reply : Reply{};
}

}  // namespace modelwatch::server::testing

#endif  // MODELWATCH_TESTS_UNIT_SERVER_RAW_CLIENT_H_
