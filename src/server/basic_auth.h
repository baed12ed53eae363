// HTTP basic auth against the bcrypt hashes of a web config (`basic_auth_users`), built so that
// checking a password cannot be used to starve scrapes or to learn which users exist:
//
// - Every check of a (user, stored hash, presented password) triple not seen before runs bcrypt
//   on one dedicated thread, one at a time (bcrypt is meant to be slow). At most `queue_limit`
//   checks wait for it; past that Check answers kBusy at once, so a flood of wrong passwords
//   costs the flooder, not the I/O threads or the scrapes whose result is cached.
// - Results, failures included, are cached by a SHA-256 of the triple. The presented password is
//   part of the key, so knowing the stored hash never logs anyone in (CVE-2022-46146), and
//   neither passwords nor hashes are kept in clear in the cache.
// - An unknown user is checked against a fake hash of the same cost as the configured ones,
//   made at start from a random password nobody knows, so a failure takes as long for a user
//   that does not exist as for one that does.
//
// Thread-safe, except that Check must not race Stop(). Stop() (or destruction) waits for the
// check that is running and destroys those still queued without calling them back (their
// callbacks may hold whatever waits for them); Check after Stop answers kBusy.
#ifndef MODELWATCH_SERVER_BASIC_AUTH_H_
#define MODELWATCH_SERVER_BASIC_AUTH_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/asio/thread_pool.hpp>

#include <modelwatch/core/status.h>

namespace modelwatch::server {

struct Credentials {
  std::string user;
  std::string password;
};

// The user and password of an Authorization header value ("Basic dXNlcjpwYXNz"); nullopt when
// it is not basic auth or not valid base64 of "user:password".
std::optional<Credentials> ParseBasicAuthorization(std::string_view value);

class BasicAuth {
 public:
  enum class Verdict { kAllow, kDeny, kBusy };
  using Callback = std::function<void(Verdict)>;

  struct Counters {
    std::atomic<uint64_t> bcrypt_checks{0};  // bcrypt runs (cache misses)
    std::atomic<uint64_t> cache_hits{0};
    std::atomic<uint64_t> queue_full{0};  // kBusy answers
  };

  // Fails on a hash that libcrypt cannot use (the message names the user, not the hash).
  static Result<std::unique_ptr<BasicAuth>> Create(const std::map<std::string, std::string>& users,
                                                   std::size_t queue_limit = 16,
                                                   std::size_t cache_limit = 4096);
  ~BasicAuth();
  BasicAuth(const BasicAuth&) = delete;
  BasicAuth& operator=(const BasicAuth&) = delete;

  // The cached verdict for these credentials, else the check is queued and `done` is called on
  // the bcrypt thread with the verdict (kBusy at once, on the caller's thread, when the queue is
  // full; then the return value is kBusy and `done` is not called). nullopt = queued.
  std::optional<Verdict> Check(const Credentials& credentials, Callback done);

  // The same, blocking (tests, the fuzzer): waits for a queued check.
  Verdict CheckAndWait(const Credentials& credentials);

  void Stop();
  const Counters& counters() const { return counters_; }

 private:
  using Key = std::array<unsigned char, 32>;
  struct KeyHash {
    std::size_t operator()(const Key& k) const;
  };
  BasicAuth(std::map<std::string, std::string> users, std::string fake_hash,
            std::size_t queue_limit, std::size_t cache_limit);
  const std::string& StoredHash(const std::string& user, bool* known) const;
  std::optional<bool> Lookup(const Key& key);
  void Remember(const Key& key, bool ok);

  const std::map<std::string, std::string> users_;
  const std::string fake_hash_;
  const std::size_t queue_limit_;
  const std::size_t cache_limit_;
  std::mutex cache_mu_;
  std::unordered_map<Key, bool, KeyHash> cache_;
  std::atomic<std::size_t> queued_{0};
  Counters counters_;
  std::atomic<bool> stopped_{false};
  std::unique_ptr<boost::asio::thread_pool> bcrypt_thread_ =
      std::make_unique<boost::asio::thread_pool>(1);
};

// True when `password` matches the bcrypt `hash` (libcrypt, constant-time comparison).
bool BcryptMatches(std::string_view password, const std::string& hash);
// A new bcrypt hash of `password` with `cost` (tests, the fake hash).
Result<std::string> BcryptHash(std::string_view password, int cost);

}  // namespace modelwatch::server

#endif  // MODELWATCH_SERVER_BASIC_AUTH_H_
