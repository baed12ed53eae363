#include "server/basic_auth.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstring>
#include <future>
#include <utility>

#include <boost/asio/post.hpp>

namespace modelwatch::server {
namespace {

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Standard base64 with padding, as Go's base64.StdEncoding (what net/http's BasicAuth uses).
std::optional<std::string> DecodeBase64(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(in.size() / 4 * 3);
  for (std::size_t i = 0; i < in.size(); i += 4) {
    const bool last = i + 4 == in.size();
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      const char c = in[i + j];
      if (c == '=' && last && j >= 2) {
        ++pad;
        v[j] = 0;
        continue;
      }
      if (pad > 0) return std::nullopt;  // data after padding
      v[j] = Base64Value(c);
      if (v[j] < 0) return std::nullopt;
    }
    const uint32_t n =
        (uint32_t(v[0]) << 18) | (uint32_t(v[1]) << 12) | (uint32_t(v[2]) << 6) | uint32_t(v[3]);
    out.push_back(static_cast<char>(n >> 16));
    if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xff));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xff));
  }
  return out;
}

int BcryptCost(const std::string& hash) { return (hash[4] - '0') * 10 + (hash[5] - '0'); }

}  // namespace

std::optional<Credentials> ParseBasicAuthorization(std::string_view value) {
  constexpr std::string_view kScheme = "basic ";
  if (value.size() < kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != kScheme[i]) return std::nullopt;
  }
  std::optional<std::string> decoded = DecodeBase64(value.substr(kScheme.size()));
  if (!decoded) return std::nullopt;
  const std::size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

bool BcryptMatches(std::string_view password, const std::string& hash) {
  // crypt() takes a C string: a NUL inside would cut the password short and let a prefix pass.
  if (password.find('\0') != std::string_view::npos) return false;
  const std::string phrase(password);
  auto data = std::make_unique<crypt_data>();
  const char* out = crypt_rn(phrase.c_str(), hash.c_str(), data.get(), sizeof(crypt_data));
  const bool ok = out != nullptr && std::strlen(out) == hash.size() &&
                  CRYPTO_memcmp(out, hash.data(), hash.size()) == 0;
  OPENSSL_cleanse(data.get(), sizeof(crypt_data));
  return ok;
}

Result<std::string> BcryptHash(std::string_view password, int cost) {
  unsigned char random[16];
  if (RAND_bytes(random, sizeof random) != 1) return Status::Error("no random bytes for a salt");
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), reinterpret_cast<char*>(random),
                       sizeof random, setting, sizeof setting) == nullptr) {
    return Status::Error("bcrypt: cannot make a salt of cost " + std::to_string(cost));
  }
  const std::string phrase(password);
  auto data = std::make_unique<crypt_data>();
  const char* out = crypt_rn(phrase.c_str(), setting, data.get(), sizeof(crypt_data));
  if (out == nullptr) return Status::Error("bcrypt is not available in this libcrypt");
  return std::string(out);
}

std::size_t BasicAuth::KeyHash::operator()(const Key& k) const {
  std::size_t h;
  std::memcpy(&h, k.data(), sizeof h);  // already a uniform hash
  return h;
}

Result<std::unique_ptr<BasicAuth>> BasicAuth::Create(
    const std::map<std::string, std::string>& users, std::size_t queue_limit,
    std::size_t cache_limit) {
  int cost = 10;
  bool first = true;
  for (const auto& [user, hash] : users) {
    // Running the hash through libcrypt proves it is one libcrypt can check (a malformed or
    // unsupported hash would otherwise deny that user forever, silently).
    auto data = std::make_unique<crypt_data>();
    const bool bcrypt = hash.size() == 60 && hash.compare(0, 2, "$2") == 0;
    const char* out = bcrypt ? crypt_rn("", hash.c_str(), data.get(), sizeof(crypt_data)) : nullptr;
    // Same length and the same "$2b$10$<salt>" prefix: libcrypt read the hash as we do.
    if (out == nullptr || std::strlen(out) != hash.size() ||
        std::memcmp(out, hash.data(), 29) != 0) {
      return Status::Error("basic_auth_users: the hash of user \"" + user +
                           "\" is not a bcrypt hash libcrypt can check");
    }
    cost = first ? BcryptCost(hash) : std::max(cost, BcryptCost(hash));
    first = false;
  }
  unsigned char secret[32];
  if (RAND_bytes(secret, sizeof secret) != 1) return Status::Error("no random bytes");
  // The fake password: 32 random bytes as hex (no NUL), never stored.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string fake_password;
  for (unsigned char b : secret) {
    fake_password.push_back(kHex[b >> 4]);
    fake_password.push_back(kHex[b & 15]);
  }
  Result<std::string> fake_hash = BcryptHash(fake_password, cost);
  OPENSSL_cleanse(fake_password.data(), fake_password.size());
  OPENSSL_cleanse(secret, sizeof secret);
  if (!fake_hash.ok()) return fake_hash.status();
  return std::unique_ptr<BasicAuth>(
      new BasicAuth(users, std::move(fake_hash).value(), queue_limit, cache_limit));
}

BasicAuth::BasicAuth(std::map<std::string, std::string> users, std::string fake_hash,
                     std::size_t queue_limit, std::size_t cache_limit)
    : users_(std::move(users)),
      fake_hash_(std::move(fake_hash)),
      queue_limit_(std::max<std::size_t>(queue_limit, 1)),
      cache_limit_(std::max<std::size_t>(cache_limit, 1)) {}

BasicAuth::~BasicAuth() { Stop(); }

void BasicAuth::Stop() {
  if (stopped_.exchange(true)) return;
  bcrypt_thread_->stop();
  bcrypt_thread_->join();
  bcrypt_thread_.reset();  // destroys the checks still queued
}

const std::string& BasicAuth::StoredHash(const std::string& user, bool* known) const {
  auto it = users_.find(user);
  *known = it != users_.end();
  return *known ? it->second : fake_hash_;
}

std::optional<bool> BasicAuth::Lookup(const Key& key) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  auto it = cache_.find(key);
  if (it == cache_.end()) return std::nullopt;
  return it->second;
}

void BasicAuth::Remember(const Key& key, bool ok) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  // Full: start over rather than track recency. Refilling costs one bcrypt per distinct
  // credential, and the queue bounds how fast anyone can fill it.
  if (cache_.size() >= cache_limit_) cache_.clear();
  cache_[key] = ok;
}

std::optional<BasicAuth::Verdict> BasicAuth::Check(const Credentials& credentials, Callback done) {
  bool known = false;
  const std::string& hash = StoredHash(credentials.user, &known);
  Key key;
  {
    // user, stored hash and password, each length-prefixed so that no two triples collide.
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    unsigned int size = 0;
    auto feed = [md](std::string_view s) {
      const uint64_t n = s.size();
      EVP_DigestUpdate(md, &n, sizeof n);
      EVP_DigestUpdate(md, s.data(), s.size());
    };
    EVP_DigestInit_ex(md, EVP_sha256(), nullptr);
    feed(credentials.user);
    feed(hash);
    feed(credentials.password);
    EVP_DigestFinal_ex(md, key.data(), &size);
    EVP_MD_CTX_free(md);
  }
  if (std::optional<bool> cached = Lookup(key)) {
    counters_.cache_hits.fetch_add(1, std::memory_order_relaxed);
    return *cached && known ? Verdict::kAllow : Verdict::kDeny;
  }
  if (stopped_.load()) return Verdict::kBusy;
  if (queued_.fetch_add(1) >= queue_limit_) {
    queued_.fetch_sub(1);
    counters_.queue_full.fetch_add(1, std::memory_order_relaxed);
    return Verdict::kBusy;
  }
  boost::asio::post(*bcrypt_thread_, [this, key, known, hash, password = credentials.password,
                                      done = std::move(done)]() mutable {
    const bool matches = BcryptMatches(password, hash);
    OPENSSL_cleanse(password.data(), password.size());
    counters_.bcrypt_checks.fetch_add(1, std::memory_order_relaxed);
    const bool ok = matches && known;
    Remember(key, ok);
    queued_.fetch_sub(1);
    done(ok ? Verdict::kAllow : Verdict::kDeny);
  });
  return std::nullopt;
}

BasicAuth::Verdict BasicAuth::CheckAndWait(const Credentials& credentials) {
  auto promise = std::make_shared<std::promise<Verdict>>();
  std::future<Verdict> future = promise->get_future();
  std::optional<Verdict> now = Check(credentials, [promise](Verdict v) { promise->set_value(v); });
  return now ? *now : future.get();
}

}  // namespace modelwatch::server
