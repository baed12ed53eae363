#include <modelwatch/state/checkpoint.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include <modelwatch/core/bytes.h>

namespace modelwatch::state {

namespace {

constexpr char kMagic[8] = {'M', 'W', 'C', 'K', 'P', 'T', '\r', '\n'};
constexpr std::uint32_t kFormatVersion = 1;
constexpr std::uint32_t kPositionsVersion = 1;
constexpr std::uint32_t kAggregatesVersion = 1;
constexpr std::uint32_t kTagPositions = 1;
constexpr std::uint32_t kTagAggregates = 2;

std::string Errno(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

void Section(ByteWriter& w, std::uint32_t tag, std::uint32_t version, const std::string& payload) {
  w.U32(tag);
  w.U32(version);
  w.U64(payload.size());
  w.U32(Crc32(payload));
  w.out()->append(payload);
}

}  // namespace

std::uint32_t Crc32(std::string_view bytes) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xffffffffu;
  for (const char ch : bytes) c = table[(c ^ static_cast<unsigned char>(ch)) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

std::string EncodeCheckpoint(const Checkpoint& c) {
  std::string positions;
  {
    ByteWriter w(&positions);
    w.Var(c.positions.size());
    for (const SourcePositions& s : c.positions) {
      w.Str(s.model);
      w.Str(s.source);
      w.Var(s.files.size());
      for (const tail::FilePosition& f : s.files) {
        w.Str(f.path);
        w.U64(f.id.device);
        w.U64(f.id.inode);
        w.U64(f.offset);
        w.Str(f.partial);
        w.U8(f.skipping ? 1 : 0);
        w.U64(f.size);
        w.U32(f.head_len);
        w.U64(f.head_hash);
        w.U32(f.tail_len);
        w.U64(f.tail_hash);
        w.U8(f.shadowed ? 1 : 0);
        w.U64(f.shadow_of.device);
        w.U64(f.shadow_of.inode);
      }
    }
  }
  std::string aggregates;
  {
    ByteWriter w(&aggregates);
    w.Var(c.aggregates.size());
    for (const ModelAggregates& m : c.aggregates) {
      w.Str(m.model);
      w.Str(m.bytes);
    }
  }
  std::string out;
  ByteWriter w(&out);
  out.append(kMagic, sizeof kMagic);
  w.U32(kFormatVersion);
  w.F64(c.written_at);
  Section(w, kTagPositions, kPositionsVersion, positions);
  Section(w, kTagAggregates, kAggregatesVersion, aggregates);
  return out;
}

Result<Decoded> DecodeCheckpoint(std::string_view bytes) {
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    return Status::Error(bytes.empty() ? "empty file" : "not a modelwatch checkpoint");
  }
  ByteReader r(bytes.substr(sizeof kMagic));
  const std::uint32_t format = r.U32();
  if (!r.ok() || format != kFormatVersion) {
    return Status::Error("checkpoint format " + std::to_string(format) + " is not supported");
  }
  Decoded d;
  d.checkpoint.written_at = r.F64();
  bool have_positions = false;
  d.aggregates_problem = "missing";
  while (r.ok() && !r.done()) {
    const std::uint32_t tag = r.U32();
    const std::uint32_t version = r.U32();
    const std::uint64_t length = r.U64();
    const std::uint32_t crc = r.U32();
    if (!r.ok() || length > r.remaining()) return Status::Error("truncated section");
    const std::string_view payload = r.Bytes(length);
    const bool crc_ok = Crc32(payload) == crc;
    if (tag == kTagPositions) {
      if (!crc_ok) return Status::Error("positions section: checksum mismatch");
      if (version != kPositionsVersion) {
        return Status::Error("positions section version " + std::to_string(version) +
                             " is not supported");
      }
      ByteReader p(payload);
      const std::uint64_t n = p.Count(3);
      for (std::uint64_t i = 0; i < n && p.ok(); ++i) {
        SourcePositions s;
        s.model = std::string(p.Str());
        s.source = std::string(p.Str());
        const std::uint64_t files = p.Count(60);
        for (std::uint64_t k = 0; k < files && p.ok(); ++k) {
          tail::FilePosition f;
          f.path = std::string(p.Str());
          f.id.device = p.U64();
          f.id.inode = p.U64();
          f.offset = p.U64();
          f.partial = std::string(p.Str());
          f.skipping = p.U8() != 0;
          f.size = p.U64();
          f.head_len = p.U32();
          f.head_hash = p.U64();
          f.tail_len = p.U32();
          f.tail_hash = p.U64();
          f.shadowed = p.U8() != 0;
          f.shadow_of.device = p.U64();
          f.shadow_of.inode = p.U64();
          if (f.head_len > tail::Tailer::kHeadBytes || f.tail_len > tail::Tailer::kHeadBytes) {
            p.Fail();
          }
          s.files.push_back(std::move(f));
        }
        d.checkpoint.positions.push_back(std::move(s));
      }
      if (!p.ok() || !p.done()) return Status::Error("positions section: corrupt");
      have_positions = true;
    } else if (tag == kTagAggregates) {
      if (!crc_ok) {
        d.aggregates_problem = "checksum mismatch";
        continue;
      }
      if (version != kAggregatesVersion) {
        d.aggregates_problem = "version " + std::to_string(version) + " is not supported";
        continue;
      }
      ByteReader a(payload);
      std::vector<ModelAggregates> models(a.Count(2));
      for (ModelAggregates& m : models) {
        m.model = std::string(a.Str());
        m.bytes = std::string(a.Str());
      }
      if (!a.ok() || !a.done()) {
        d.aggregates_problem = "corrupt";
        continue;
      }
      d.checkpoint.aggregates = std::move(models);
      d.aggregates_problem.clear();
    }
    // Unknown tags (a newer version's extra sections) are skipped.
  }
  if (!r.ok()) return Status::Error("truncated");
  if (!have_positions) return Status::Error("no positions section");
  return d;
}

Status WriteCheckpointFile(const std::string& dir, std::string_view bytes) {
  const std::string final_path = dir + "/" + kCheckpointFile;
  const std::string tmp = final_path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Error(Errno("cannot create", tmp));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string e = Errno("cannot write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::Error(e);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const std::string e = Errno("cannot fsync", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return Status::Error(e);
  }
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Status::Error(Errno("cannot close", tmp));
  }
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
    const std::string e = Errno("cannot rename to", final_path);
    ::unlink(tmp.c_str());
    return Status::Error(e);
  }
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return Status::Error(Errno("cannot open directory", dir));
  const int rc = ::fsync(dfd);
  ::close(dfd);
  if (rc != 0) return Status::Error(Errno("cannot fsync directory", dir));
  return Status::Ok();
}

Result<std::string> ReadCheckpointFile(const std::string& dir, bool* absent) {
  *absent = false;
  const std::string path = dir + "/" + kCheckpointFile;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      *absent = true;
      return std::string();
    }
    return Status::Error(Errno("cannot open", path));
  }
  std::string out;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string e = Errno("cannot read", path);
      ::close(fd);
      return Status::Error(e);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

Result<std::string> MoveCheckpointAside(const std::string& dir, double now) {
  const std::string from = dir + "/" + kCheckpointFile;
  const std::string to = from + ".corrupt." + std::to_string(static_cast<long long>(now));
  if (::rename(from.c_str(), to.c_str()) != 0) return Status::Error(Errno("cannot rename", from));
  return to;
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<DirectoryLock>> DirectoryLock::Acquire(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST) {
    return Status::Error(Errno("cannot create state directory", dir));
  }
  const std::string path = dir + "/" + kLockFile;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Error(Errno("cannot open lock file", path));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    char buf[32] = {};
    const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    std::string holder = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "unknown";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    if (err == EWOULDBLOCK) {
      return Status::Error("state directory " + dir +
                           " is locked by another modelwatch instance (pid " + holder +
                           "); one instance per state directory");
    }
    return Status::Error("cannot lock " + path + ": " + std::strerror(err));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, pid.data(), pid.size(), 0);
  return std::unique_ptr<DirectoryLock>(new DirectoryLock(fd));
}

}  // namespace modelwatch::state
