#include <modelwatch/tail/file_system.h>

#include <fnmatch.h>

#include <algorithm>

namespace modelwatch::tail {
namespace {

constexpr std::uint64_t kMemDevice = 1;

FileInfo InfoOf(const MemFileSystem::Inode& inode) {
  return FileInfo{FileId{kMemDevice, inode.number}, inode.bytes.size(), true};
}

// Holds its inode alive: renames, removals and replacements of the path do not affect it.
class MemFile final : public File {
 public:
  explicit MemFile(std::shared_ptr<MemFileSystem::Inode> inode) : inode_(std::move(inode)) {}

  Result<std::size_t> ReadAt(std::uint64_t offset, char* buf, std::size_t n) override {
    const std::string& bytes = inode_->bytes;
    if (offset >= bytes.size()) return std::size_t{0};
    const std::size_t k = std::min<std::uint64_t>(n, bytes.size() - offset);
    std::copy_n(bytes.data() + offset, k, buf);
    return k;
  }
  Result<FileInfo> Stat() override { return InfoOf(*inode_); }

 private:
  std::shared_ptr<MemFileSystem::Inode> inode_;
};

}  // namespace

void MemFileSystem::Write(const std::string& path, const std::string& bytes) {
  paths_[path] = std::make_shared<Inode>(Inode{next_inode_++, bytes});
}

void MemFileSystem::Append(const std::string& path, const std::string& bytes) {
  auto it = paths_.find(path);
  if (it == paths_.end()) {
    Write(path, bytes);
  } else {
    it->second->bytes += bytes;
  }
}

void MemFileSystem::Truncate(const std::string& path, std::uint64_t size) {
  auto it = paths_.find(path);
  if (it != paths_.end()) it->second->bytes.resize(size, '\0');
}

void MemFileSystem::Rename(const std::string& from, const std::string& to) {
  auto it = paths_.find(from);
  if (it == paths_.end() || from == to) return;
  std::shared_ptr<Inode> inode = it->second;
  paths_.erase(it);
  paths_[to] = std::move(inode);
}

void MemFileSystem::Remove(const std::string& path) { paths_.erase(path); }

void MemFileSystem::WriteReusingInode(const std::string& path, std::uint64_t inode,
                                      const std::string& bytes) {
  paths_[path] = std::make_shared<Inode>(Inode{inode, bytes});
}

std::string MemFileSystem::Contents(const std::string& path) const {
  auto it = paths_.find(path);
  return it == paths_.end() ? std::string() : it->second->bytes;
}

Result<std::vector<std::string>> MemFileSystem::Glob(const std::string& pattern) {
  if (fail_glob_) return Status::Error("glob " + pattern + ": injected failure");
  std::vector<std::string> out;  // paths_ is ordered, so out is sorted
  for (const auto& [path, inode] : paths_) {
    if (fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME | FNM_PERIOD) == 0) out.push_back(path);
  }
  return out;
}

Result<FileInfo> MemFileSystem::Stat(const std::string& path) {
  auto it = paths_.find(path);
  if (it == paths_.end()) return Status::Error("stat " + path + ": No such file or directory");
  return InfoOf(*it->second);
}

Result<std::unique_ptr<File>> MemFileSystem::Open(const std::string& path) {
  if (fail_open_) return Status::Error("open " + path + ": injected failure");
  auto it = paths_.find(path);
  if (it == paths_.end()) return Status::Error("open " + path + ": No such file or directory");
  return std::unique_ptr<File>(std::make_unique<MemFile>(it->second));
}

}  // namespace modelwatch::tail
