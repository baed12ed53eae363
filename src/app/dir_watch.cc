#include "app/dir_watch.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <set>
#include <thread>

#include <spdlog/spdlog.h>

namespace modelwatch::app {

namespace {

// "/var/log/model/pred-*.jsonl" -> "/var/log/model"; "/var/log/*/p.jsonl" -> "/var/log".
std::string StaticDirectory(const std::string& glob) {
  const std::size_t wild = glob.find_first_of("*?[");
  const std::string head = wild == std::string::npos ? glob : glob.substr(0, wild);
  const std::size_t slash = head.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : head.substr(0, slash);
}

}  // namespace

DirWatch::DirWatch(const std::vector<std::string>& globs) {
  fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) {
    spdlog::info("inotify unavailable ({}); new files are found by polling", std::strerror(errno));
    return;
  }
  std::set<std::string> dirs;
  for (const std::string& g : globs) dirs.insert(StaticDirectory(g));
  for (const std::string& d : dirs) {
    if (inotify_add_watch(fd_, d.c_str(), IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE) >=
        0) {
      ++watches_;
    } else {
      spdlog::info("not watching {} ({}); new files there are found by polling", d,
                   std::strerror(errno));
    }
  }
}

DirWatch::~DirWatch() {
  if (fd_ >= 0) ::close(fd_);
}

bool DirWatch::Wait(double seconds) {
  if (fd_ < 0 || watches_ == 0) {
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    return false;
  }
  pollfd p{fd_, POLLIN, 0};
  const int rc = ::poll(&p, 1, static_cast<int>(seconds * 1000));
  if (rc <= 0) return false;
  // Drain every queued event (the overflow event included): what changed is found by the
  // rescan that follows, so the events themselves need no decoding.
  alignas(inotify_event) char buf[8192];
  while (::read(fd_, buf, sizeof buf) > 0) {
  }
  return true;
}

}  // namespace modelwatch::app
