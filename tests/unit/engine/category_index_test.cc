// CategoryIndex answers what the reference's maps answer (Bin and Seen) for every reference
// category, for values it never had, and for near misses (one byte changed, a prefix, a longer
// string), across the word sizes its hash reads.
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/category_index.h"

namespace modelwatch::engine {
namespace {

TEST(CategoryIndex, AnswersAsTheReferenceMaps) {
  std::mt19937_64 rng(11);
  std::vector<std::string> values;
  for (int i = 0; i < 3000; ++i) {
    const std::size_t len = rng() % 40;
    std::string s;
    for (std::size_t j = 0; j < len; ++j) s += static_cast<char>('a' + rng() % 3);
    values.push_back(s);
    // Skewed counts, so the top categories get their own bins and the rest fall in __other__.
    for (std::uint64_t k = rng() % (1 + i % 7); k > 0; --k) values.push_back(s);
  }
  const drift::CategoricalReference ref = drift::BuildCategoricalReference(values, 20);
  const CategoryIndex index(ref);
  std::vector<std::string> probes = values;
  for (const std::string& v : values) {
    probes.push_back(v + "x");
    if (!v.empty()) probes.push_back(v.substr(0, v.size() - 1));
    std::string changed = v;
    if (!changed.empty()) changed[rng() % changed.size()] ^= 1;
    probes.push_back(changed);
  }
  probes.push_back("");
  int seen = 0, unseen = 0;
  for (const std::string& p : probes) {
    const CategoryIndex::Entry e = index.Find(p);
    ASSERT_EQ(e.bin, ref.Bin(p)) << p;
    ASSERT_EQ(e.seen, ref.Seen(p)) << p;
    (e.seen ? seen : unseen)++;
  }
  EXPECT_GT(seen, 1000);
  EXPECT_GT(unseen, 1000);
}

TEST(CategoryIndex, AnEmptyReferenceSendsEverythingToOther) {
  const drift::CategoricalReference ref;
  const CategoryIndex index(ref);
  EXPECT_EQ(index.Find("a").bin, 0);
  EXPECT_FALSE(index.Find("a").seen);
}

TEST(HashBytes, DependsOnEveryByteAndTheLength) {
  const std::string s = "merchant_category_grocery";
  for (std::size_t n = 0; n <= s.size(); ++n) {
    for (std::size_t i = 0; i < n; ++i) {
      std::string t = s.substr(0, n);
      t[i] ^= 0x20;
      EXPECT_NE(HashBytes(s.data(), n), HashBytes(t.data(), n)) << n << " " << i;
    }
    if (n > 0) {
      EXPECT_NE(HashBytes(s.data(), n), HashBytes(s.data(), n - 1)) << n;
    }
  }
}

}  // namespace
}  // namespace modelwatch::engine
