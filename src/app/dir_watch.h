// DirWatch: wakes the daemon's loop when files appear, vanish or are renamed in the directories
// of the source globs (inotify: IN_CREATE, IN_MOVED_TO, IN_MOVED_FROM, IN_DELETE), so that a new
// or rotated file is found at once instead of at the next periodic rescan. Appends to known files
// are picked up by the periodic poll. Polling alone always works: without inotify (no support,
// no watches left: fs.inotify.max_user_watches, a directory that does not exist yet) Wait just
// sleeps; an event queue overflow is harmless (the next poll rescans everything). Not
// thread-safe; used by the ingest loop only.
#ifndef MODELWATCH_APP_DIR_WATCH_H_
#define MODELWATCH_APP_DIR_WATCH_H_

#include <string>
#include <vector>

namespace modelwatch::app {

class DirWatch {
 public:
  // globs: absolute source paths; the directory part of each (up to its first wildcard) is
  // watched.
  explicit DirWatch(const std::vector<std::string>& globs);
  ~DirWatch();
  DirWatch(const DirWatch&) = delete;
  DirWatch& operator=(const DirWatch&) = delete;

  // Returns after `seconds`, or earlier when a watched directory changed (true).
  bool Wait(double seconds);
  // Directories watched (0 when inotify is unavailable).
  int watches() const { return watches_; }

 private:
  int fd_ = -1;
  int watches_ = 0;
};

}  // namespace modelwatch::app

#endif  // MODELWATCH_APP_DIR_WATCH_H_
