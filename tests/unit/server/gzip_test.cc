#include "server/gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace modelwatch::server {
namespace {

TEST(AcceptsGzipTest, FollowsAcceptEncodingWithQValues) {
  struct Case {
    const char* header;
    bool gzip;
  };
  const Case cases[] = {
      {"gzip", true},
      {"GZip", true},
      {"x-gzip", true},
      {"deflate, gzip;q=1.0, *;q=0.5", true},
      {"br, gzip;q=0.001", true},
      {"gzip;q=0", false},
      {"gzip; q=0.000", false},
      {"gzip;q=0, *", false},  // named refusal beats the wildcard
      {"*", true},
      {"*;q=0", false},
      {"identity", false},
      {"deflate, br", false},
      {"", false},
      {"gzip;q=nonsense", false},
      {"gzipx", false},
  };
  for (const Case& c : cases) EXPECT_EQ(AcceptsGzip(c.header), c.gzip) << c.header;
}

TEST(GzipCompressTest, ProducesAGzipMemberThatInflatesToTheInput) {
  std::string input;
  for (int i = 0; i < 1000; ++i) input += "modelwatch_up{model=\"m" + std::to_string(i) + "\"} 1\n";
  Result<std::string> gz = GzipCompress(input);
  ASSERT_TRUE(gz.ok());
  ASSERT_GE(gz.value().size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(gz.value()[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<unsigned char>(gz.value()[1]), 0x8b);
  EXPECT_LT(gz.value().size(), input.size() / 4);

  std::string out(input.size(), '\0');
  uLongf out_size = out.size();
  z_stream zs{};
  inflateInit2(&zs, 15 + 16);
  zs.next_in = reinterpret_cast<Bytef*>(gz.value().data());
  zs.avail_in = static_cast<uInt>(gz.value().size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out_size);
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  inflateEnd(&zs);
  EXPECT_EQ(out, input);
}

TEST(GzipCompressTest, EmptyInputIsAValidEmptyMember) {
  Result<std::string> gz = GzipCompress("");
  ASSERT_TRUE(gz.ok());
  EXPECT_EQ(gz.value().size(), 20u);  // 10-byte header, empty deflate block, 8-byte trailer
}

}  // namespace
}  // namespace modelwatch::server
