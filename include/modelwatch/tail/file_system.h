// The narrow file-system seam the tailer reads through: the real POSIX one, and an in-memory
// one for tests (tests never touch the disk for tailer logic). Not thread-safe.
#ifndef MODELWATCH_TAIL_FILE_SYSTEM_H_
#define MODELWATCH_TAIL_FILE_SYSTEM_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <modelwatch/core/status.h>

namespace modelwatch::tail {

struct FileId {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  friend bool operator==(const FileId&, const FileId&) = default;
  friend auto operator<=>(const FileId&, const FileId&) = default;
};

struct FileInfo {
  FileId id;
  std::uint64_t size = 0;
  // False for directories, FIFOs, sockets, devices: the tailer never opens those (a FIFO would
  // block the open, a directory cannot be read).
  bool is_regular = true;
};

// An open file. Reads keep working after the path is renamed or unlinked (POSIX semantics).
class File {
 public:
  virtual ~File() = default;
  // Reads up to n bytes at offset; returns bytes read (0 at end of file; may be short).
  virtual Result<std::size_t> ReadAt(std::uint64_t offset, char* buf, std::size_t n) = 0;
  // Information of the open file itself (fstat), not of whatever the path now names.
  virtual Result<FileInfo> Stat() = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Paths matching a glob (fnmatch/glob(3) syntax), sorted. No match is not an error.
  virtual Result<std::vector<std::string>> Glob(const std::string& pattern) = 0;
  virtual Result<FileInfo> Stat(const std::string& path) = 0;
  virtual Result<std::unique_ptr<File>> Open(const std::string& path) = 0;
};

// The real file system (glob(3), open(2) O_RDONLY|O_CLOEXEC|O_NONBLOCK, pread(2), fstat(2)).
// Glob fails (rather than silently returning fewer paths) when a directory could not be read,
// so that the tailer never mistakes an unreadable directory (EACCES, EMFILE) for deleted files.
// Open fails for anything that is not a regular file.
std::unique_ptr<FileSystem> MakeRealFileSystem();

// An in-memory file system for tests: files are byte strings with stable inodes.
// Append, Truncate, Rename and Remove mimic POSIX: open File objects keep their inode's bytes.
// Write creates or replaces the path with a NEW inode (like writing a temporary file and renaming
// it over the path); Append and Truncate keep the inode; Truncate to a larger size pads with NUL.
// Glob matches fnmatch(3) with FNM_PATHNAME | FNM_PERIOD (as glob(3)) over the stored paths. The
// device is always 1.
class MemFileSystem final : public FileSystem {
 public:
  void Write(const std::string& path, const std::string& bytes);   // create or replace
  void Append(const std::string& path, const std::string& bytes);  // create if absent
  void Truncate(const std::string& path, std::uint64_t size);
  void Rename(const std::string& from, const std::string& to);
  void Remove(const std::string& path);
  // Creates or replaces path with a file of the given inode number (a deleted file's inode reused
  // by the file system for new content).
  void WriteReusingInode(const std::string& path, std::uint64_t inode, const std::string& bytes);
  // The bytes at path ("" if absent).
  std::string Contents(const std::string& path) const;
  // Fault injection: while set, Glob / Open fail (as EIO, EACCES or EMFILE would).
  void set_fail_glob(bool fail) { fail_glob_ = fail; }
  void set_fail_open(bool fail) { fail_open_ = fail; }

  Result<std::vector<std::string>> Glob(const std::string& pattern) override;
  Result<FileInfo> Stat(const std::string& path) override;
  Result<std::unique_ptr<File>> Open(const std::string& path) override;

  struct Inode {
    std::uint64_t number;
    std::string bytes;
  };

 private:
  std::map<std::string, std::shared_ptr<Inode>> paths_;
  std::uint64_t next_inode_ = 1;
  bool fail_glob_ = false;
  bool fail_open_ = false;
};

}  // namespace modelwatch::tail

#endif  // MODELWATCH_TAIL_FILE_SYSTEM_H_
