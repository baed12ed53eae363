// What the listener, the sessions and the workers of one HttpServer share. Held by shared_ptr
// so that any of them may outlive the others during shutdown.
#ifndef MODELWATCH_SERVER_SERVER_STATE_H_
#define MODELWATCH_SERVER_SERVER_STATE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include <modelwatch/server/http_server.h>

#include "server/basic_auth.h"
#include "server/router.h"
#include "server/tls_context.h"

namespace modelwatch::server {

struct Counters {
  using Counter = std::atomic<uint64_t>;
  Counter connections_accepted{0};
  Counter connections_rejected{0};
  Counter accept_errors{0};
  Counter requests[kRouteCount] = {};
  Counter responses_4xx{0};
  Counter responses_5xx{0};
  Counter requests_rejected_concurrency{0};
  Counter header_timeouts{0};
  Counter header_too_large{0};
  Counter bad_requests{0};
  Counter idle_closes{0};
  Counter write_timeouts{0};
  Counter handler_errors{0};
  Counter connections_evicted{0};
  Counter tls_handshake_errors{0};
  Counter auth_failures{0};  // 401s
};

// What a web config adds: TLS, basic auth, extra headers. Fixed for the server's lifetime.
struct WebSecurity {
  std::unique_ptr<TlsContextSource> tls;  // null: plain HTTP
  std::unique_ptr<BasicAuth> auth;        // null: no authentication
  std::vector<std::pair<std::string, std::string>> headers;
  bool protect_health_endpoints = false;
};

// A connection the listener may close to admit a new one (see session.h).
class SessionBase : public std::enable_shared_from_this<SessionBase> {
 public:
  virtual ~SessionBase() = default;
  // Called from any thread; the session closes itself on its strand if still evictable.
  virtual void Evict() = 0;

 protected:
  std::list<SessionBase*>::iterator evictable_pos_;
  bool evictable_ = false;
  friend class EvictionList;
};

// Sessions waiting for a request, longest-waiting first. Sessions add and remove themselves on
// their strand; the listener takes the front.
class EvictionList {
 public:
  void Add(SessionBase* s) {
    std::lock_guard<std::mutex> lock(mu_);
    if (s->evictable_) list_.erase(s->evictable_pos_);
    s->evictable_pos_ = list_.insert(list_.end(), s);
    s->evictable_ = true;
  }
  void Remove(SessionBase* s) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!s->evictable_) return;
    list_.erase(s->evictable_pos_);
    s->evictable_ = false;
  }
  // Removes the longest-waiting session and asks it to close; false when there is none.
  bool EvictOldest() {
    std::shared_ptr<SessionBase> victim;
    {
      std::lock_guard<std::mutex> lock(mu_);
      while (!list_.empty() && !victim) {
        SessionBase* s = list_.front();
        list_.pop_front();
        s->evictable_ = false;
        // Empty while its destructor waits for mu_ to remove it: skip it.
        victim = s->weak_from_this().lock();
      }
    }
    if (!victim) return false;
    victim->Evict();  // outside mu_: the last reference may go here
    return true;
  }

 private:
  std::mutex mu_;
  std::list<SessionBase*> list_;
};

inline void Bump(std::atomic<uint64_t>& counter) {
  counter.fetch_add(1, std::memory_order_relaxed);
}

inline std::chrono::steady_clock::duration Seconds(double seconds) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(seconds));
}

struct ServerState {
  ServerState(ServerOptions o, Handlers h, std::unique_ptr<WebSecurity> w)
      : options(std::move(o)), handlers(std::move(h)), router(handlers), web(std::move(w)) {}
  ServerState(const ServerState&) = delete;
  ServerState& operator=(const ServerState&) = delete;

  const ServerOptions options;
  const Handlers handlers;
  const Router router;                     // refers to `handlers`
  const std::unique_ptr<WebSecurity> web;  // null: no web config
  Counters counters;
  EvictionList evictable;
  std::atomic<int> active_connections{0};
  std::atomic<int> heavy_in_flight{0};
  // Runs Router::Respond for heavy routes. Set before the first accept; reset by Stop() only
  // after the I/O threads have stopped, so sessions (on I/O threads) may use it freely.
  boost::asio::thread_pool* workers = nullptr;
};

}  // namespace modelwatch::server

#endif  // MODELWATCH_SERVER_SERVER_STATE_H_
