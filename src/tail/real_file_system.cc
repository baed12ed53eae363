#include <modelwatch/tail/file_system.h>

#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace modelwatch::tail {
namespace {

Status Errno(const char* op, const std::string& path, int err) {
  return Status::Error(std::string(op) + " " + path + ": " + std::strerror(err));
}

FileInfo InfoOf(const struct stat& st) {
  return FileInfo{
      FileId{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)},
      static_cast<std::uint64_t>(st.st_size), S_ISREG(st.st_mode)};
}

// glob(3)'s error callback has no user pointer; the first error of the running call lands here.
thread_local int glob_errno = 0;
thread_local std::string* glob_error_path_copy = nullptr;

int OnGlobError(const char* path, int err) {
  // A missing directory is simply no match; anything else (EACCES, EMFILE, EIO) means the
  // listing is incomplete.
  if (err == ENOENT || err == ENOTDIR) return 0;
  if (glob_errno == 0) {
    glob_errno = err;
    if (glob_error_path_copy != nullptr) *glob_error_path_copy = path;
  }
  return 0;
}

class RealFile final : public File {
 public:
  RealFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~RealFile() override { ::close(fd_); }
  RealFile(const RealFile&) = delete;
  RealFile& operator=(const RealFile&) = delete;

  Result<std::size_t> ReadAt(std::uint64_t offset, char* buf, std::size_t n) override {
    for (;;) {
      const ssize_t r = ::pread(fd_, buf, n, static_cast<off_t>(offset));
      if (r >= 0) return static_cast<std::size_t>(r);
      if (errno != EINTR) return Errno("pread", path_, errno);
    }
  }

  Result<FileInfo> Stat() override {
    struct stat st;
    if (::fstat(fd_, &st) != 0) return Errno("fstat", path_, errno);
    return InfoOf(st);
  }

 private:
  const int fd_;
  const std::string path_;  // for error messages only: the path may name another file by now
};

class RealFileSystem final : public FileSystem {
 public:
  Result<std::vector<std::string>> Glob(const std::string& pattern) override {
    std::string error_path;
    glob_errno = 0;
    glob_error_path_copy = &error_path;
    glob_t g{};
    const int rc = ::glob(pattern.c_str(), GLOB_NOSORT, &OnGlobError, &g);
    glob_error_path_copy = nullptr;
    std::vector<std::string> out;
    if (rc == 0) out.assign(g.gl_pathv, g.gl_pathv + g.gl_pathc);
    ::globfree(&g);
    if (rc == GLOB_NOSPACE) return Status::Error("glob " + pattern + ": out of memory");
    if (rc != 0 && rc != GLOB_NOMATCH) return Status::Error("glob " + pattern + ": failed");
    if (glob_errno != 0) return Errno("glob", error_path, glob_errno);
    std::sort(out.begin(), out.end());
    return out;
  }

  Result<FileInfo> Stat(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return Errno("stat", path, errno);
    return InfoOf(st);
  }

  Result<std::unique_ptr<File>> Open(const std::string& path) override {
    // O_NONBLOCK: a FIFO swapped in under a matched path must not block the open.
    int fd;
    do {
      fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) return Errno("open", path, errno);
    auto file = std::make_unique<RealFile>(fd, path);
    Result<FileInfo> info = file->Stat();
    if (!info.ok()) return info.status();
    if (!info.value().is_regular) return Status::Error("open " + path + ": not a regular file");
    return std::unique_ptr<File>(std::move(file));
  }
};

}  // namespace

std::unique_ptr<FileSystem> MakeRealFileSystem() { return std::make_unique<RealFileSystem>(); }

}  // namespace modelwatch::tail
