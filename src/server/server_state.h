// What the listener, the sessions and the workers of one HttpServer share. Held by shared_ptr
// so that any of them may outlive the others during shutdown.
#ifndef MODELWATCH_SERVER_SERVER_STATE_H_
#define MODELWATCH_SERVER_SERVER_STATE_H_

#include <atomic>
#include <chrono>
#include <cstdint>

#include <boost/asio/thread_pool.hpp>

#include <modelwatch/server/http_server.h>

#include "server/router.h"

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
};

inline void Bump(std::atomic<uint64_t>& counter) {
  counter.fetch_add(1, std::memory_order_relaxed);
}

inline std::chrono::steady_clock::duration Seconds(double seconds) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(seconds));
}

struct ServerState {
  ServerState(ServerOptions o, Handlers h)
      : options(std::move(o)), handlers(std::move(h)), router(handlers) {}
  ServerState(const ServerState&) = delete;
  ServerState& operator=(const ServerState&) = delete;

  const ServerOptions options;
  const Handlers handlers;
  const Router router;  // refers to `handlers`
  Counters counters;
  std::atomic<int> active_connections{0};
  std::atomic<int> heavy_in_flight{0};
  // Runs Router::Respond for heavy routes. Set before the first accept; reset by Stop() only
  // after the I/O threads have stopped, so sessions (on I/O threads) may use it freely.
  boost::asio::thread_pool* workers = nullptr;
};

}  // namespace modelwatch::server

#endif  // MODELWATCH_SERVER_SERVER_STATE_H_
