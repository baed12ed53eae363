// BasicAuth on its own: header parsing, bcrypt via libcrypt ($2b$ and Go's $2y$), the cache
// key, the bounded queue, refused hashes.
#include "server/basic_auth.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <string>

namespace modelwatch::server {
namespace {

using Verdict = BasicAuth::Verdict;

// exporter-toolkit's fixed fake hash: bcrypt (Go, $2y$, cost 10) of "fakepassword".
const std::string kGoHash = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";

TEST(ParseBasicAuthorizationTest, DecodesUserAndPassword) {
  auto c = ParseBasicAuthorization("Basic dXNlcjpwYXNzOndvcmQ=");  // user:pass:word
  ASSERT_TRUE(c);
  EXPECT_EQ(c->user, "user");
  EXPECT_EQ(c->password, "pass:word");
  EXPECT_TRUE(ParseBasicAuthorization("basic dXNlcjpwYXNz"));  // scheme is case-insensitive
}

TEST(ParseBasicAuthorizationTest, RejectsOtherSchemesAndBadBase64) {
  EXPECT_FALSE(ParseBasicAuthorization("Bearer dXNlcjpwYXNz"));
  EXPECT_FALSE(ParseBasicAuthorization("Basic dXNlcjpwYXNz="));  // bad length
  EXPECT_FALSE(ParseBasicAuthorization("Basic dXNlcj!wYXNz"));
  EXPECT_FALSE(ParseBasicAuthorization("Basic dXNlcg=="));  // "user": no colon
  EXPECT_FALSE(ParseBasicAuthorization("Basic "));
  EXPECT_FALSE(ParseBasicAuthorization("Basic YQ==YQ=="));  // data after padding
}

TEST(BcryptTest, ChecksGoAndLibcryptHashes) {
  EXPECT_TRUE(BcryptMatches("fakepassword", kGoHash));
  EXPECT_FALSE(BcryptMatches("fakepassword2", kGoHash));
  EXPECT_FALSE(BcryptMatches(kGoHash, kGoHash));
  Result<std::string> h = BcryptHash("pw", 4);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h.value().substr(0, 7), "$2b$04$");
  EXPECT_TRUE(BcryptMatches("pw", h.value()));
  // A NUL would end the C string crypt() sees: "pw\0anything" must not pass as "pw".
  EXPECT_FALSE(BcryptMatches(std::string("pw\0x", 4), h.value()));
}

class BasicAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::string> h = BcryptHash("right", 4);
    ASSERT_TRUE(h.ok());
    hash_ = h.value();
    auto a = BasicAuth::Create({{"alice", hash_}}, /*queue_limit=*/2);
    ASSERT_TRUE(a.ok()) << a.status().message();
    auth_ = std::move(a).value();
  }
  std::string hash_;
  std::unique_ptr<BasicAuth> auth_;
};

TEST_F(BasicAuthTest, AllowsOnlyTheRightPasswordOfAKnownUser) {
  EXPECT_EQ(auth_->CheckAndWait({"alice", "right"}), Verdict::kAllow);
  EXPECT_EQ(auth_->CheckAndWait({"alice", "wrong"}), Verdict::kDeny);
  EXPECT_EQ(auth_->CheckAndWait({"bob", "right"}), Verdict::kDeny);
  EXPECT_EQ(auth_->CheckAndWait({"alice", hash_}), Verdict::kDeny);
  EXPECT_EQ(auth_->counters().bcrypt_checks.load(), 4u);
}

TEST_F(BasicAuthTest, RepeatedCredentialsAreAnsweredFromTheCache) {
  EXPECT_EQ(auth_->CheckAndWait({"alice", "right"}), Verdict::kAllow);
  EXPECT_EQ(auth_->Check({"alice", "right"}, nullptr), Verdict::kAllow);
  EXPECT_EQ(auth_->CheckAndWait({"bob", "x"}), Verdict::kDeny);
  EXPECT_EQ(auth_->Check({"bob", "x"}, nullptr), Verdict::kDeny);
  EXPECT_EQ(auth_->counters().bcrypt_checks.load(), 2u);
  EXPECT_EQ(auth_->counters().cache_hits.load(), 2u);
}

// CVE-2022-46146: a cached success for (alice, right) must not admit (alice, <the hash>).
TEST_F(BasicAuthTest, TheHashNeverPassesEvenAfterASuccess) {
  EXPECT_EQ(auth_->CheckAndWait({"alice", hash_}), Verdict::kDeny);
  EXPECT_EQ(auth_->CheckAndWait({"alice", "right"}), Verdict::kAllow);
  EXPECT_EQ(auth_->CheckAndWait({"alice", hash_}), Verdict::kDeny);
}

TEST_F(BasicAuthTest, ChecksPastTheQueueLimitAreBusy) {
  Result<std::string> slow_hash = BcryptHash("right", 10);  // tens of ms each
  ASSERT_TRUE(slow_hash.ok());
  auto a = BasicAuth::Create({{"alice", slow_hash.value()}}, /*queue_limit=*/2);
  ASSERT_TRUE(a.ok());
  std::promise<void> first_done;
  int busy = 0, queued = 0;
  for (int i = 0; i < 6; ++i) {
    auto v = a.value()->Check({"alice", "p" + std::to_string(i)}, [&, i](Verdict) {
      if (i == 0) first_done.set_value();
    });
    if (!v) ++queued;
    if (v == Verdict::kBusy) ++busy;
  }
  EXPECT_EQ(queued, 2);
  EXPECT_EQ(busy, 4);
  EXPECT_EQ(a.value()->counters().queue_full.load(), 4u);
  EXPECT_EQ(first_done.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
  a.value()->Stop();
}

// Stop waits for the running check only; queued ones are destroyed uncalled (with whatever
// their callbacks hold), and later checks answer kBusy.
TEST(BasicAuthStopTest, DropsQueuedChecks) {
  Result<std::string> hash = BcryptHash("right", 10);
  ASSERT_TRUE(hash.ok());
  auto a = BasicAuth::Create({{"alice", hash.value()}}, /*queue_limit=*/8);
  ASSERT_TRUE(a.ok());
  auto held = std::make_shared<int>(0);
  std::atomic<int> called{0};
  for (int i = 0; i < 8; ++i) {
    a.value()->Check({"alice", "p" + std::to_string(i)}, [held, &called](Verdict) { ++called; });
  }
  a.value()->Stop();
  EXPECT_LT(called.load(), 8);
  EXPECT_EQ(held.use_count(), 1);  // every queued callback is gone
  EXPECT_EQ(a.value()->Check({"alice", "right"}, nullptr), Verdict::kBusy);
}

TEST(BasicAuthCreateTest, RefusesHashesLibcryptCannotCheck) {
  for (const std::string& bad :
       {std::string("$2y$03$") + std::string(53, 'a'), std::string("$1$abc$def"),
        std::string("plain"), kGoHash.substr(0, 59)}) {
    auto a = BasicAuth::Create({{"alice", bad}});
    EXPECT_FALSE(a.ok()) << bad;
    if (!a.ok()) {
      EXPECT_NE(a.status().message().find("\"alice\""), std::string::npos);
      EXPECT_EQ(a.status().message().find(bad), std::string::npos);
    }
  }
  EXPECT_TRUE(BasicAuth::Create({{"alice", kGoHash}}).ok());
}

}  // namespace
}  // namespace modelwatch::server
