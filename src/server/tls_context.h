// The TLS side of a web config: an OpenSSL server context built from `tls_server_config`, and
// rebuilt when the certificate, key or client CA file changes, so certificates rotate without a
// restart (exporter-toolkit re-reads them per handshake too).
//
// Current() is called once per accepted connection: it compares the files' (inode, size, mtime)
// with those the context was built from (a stat each, no read) and rebuilds on a difference. A
// rebuild that fails (a half-written key, a key that does not match the certificate) keeps the
// previous context serving and is counted; the next connection tries again. Thread-safe.
#ifndef MODELWATCH_SERVER_TLS_CONTEXT_H_
#define MODELWATCH_SERVER_TLS_CONTEXT_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/ssl/context.hpp>

#include <modelwatch/config/web_config.h>
#include <modelwatch/core/status.h>

namespace modelwatch::server {

class TlsContextSource {
 public:
  // Fails when the files cannot be read or do not form a usable context; the message names the
  // file and OpenSSL's reason.
  static Result<std::unique_ptr<TlsContextSource>> Create(config::TlsServerConfig config);

  std::shared_ptr<boost::asio::ssl::context> Current();

  uint64_t reloads() const { return reloads_.load(std::memory_order_relaxed); }
  uint64_t reload_errors() const { return reload_errors_.load(std::memory_order_relaxed); }
  std::string last_error() const;

 private:
  struct Stamp {
    uint64_t inode = 0, size = 0;
    int64_t mtime_ns = 0;
    bool operator==(const Stamp&) const = default;
  };
  explicit TlsContextSource(config::TlsServerConfig config) : config_(std::move(config)) {}
  std::vector<Stamp> Stamps() const;

  const config::TlsServerConfig config_;
  mutable std::mutex mu_;
  std::shared_ptr<boost::asio::ssl::context> context_;
  std::vector<Stamp> stamps_;
  std::string last_error_;
  std::atomic<uint64_t> reloads_{0};
  std::atomic<uint64_t> reload_errors_{0};
};

// A context for `config`, its files read now.
Result<std::shared_ptr<boost::asio::ssl::context>> BuildTlsContext(
    const config::TlsServerConfig& config);

}  // namespace modelwatch::server

#endif  // MODELWATCH_SERVER_TLS_CONTEXT_H_
