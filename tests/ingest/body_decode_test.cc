// DecodeBody: plain and gzip bodies, concatenated members, a size limit that stops gzip bombs
// without allocating past it, and clear errors for corrupt or truncated streams.
#include "ingest/body_decode.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace vigil {
namespace {

std::string Gzip(const std::string& data, int level = Z_DEFAULT_COMPRESSION) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string Text(size_t n) {
  std::string s;
  for (size_t i = 0; s.size() < n; ++i) s += "{\"txn\":\"T" + std::to_string(i) + "\"}\n";
  s.resize(n);
  return s;
}

TEST(BodyDecodeTest, PlainBodyIsReturnedUnderTheLimit) {
  auto r = DecodeBody("abc", false, 3);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, "abc");
  auto over = DecodeBody("abcd", false, 3);
  EXPECT_EQ(over.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(over.status().message().find("limit of 3 bytes"), std::string::npos);
}

TEST(BodyDecodeTest, GzipRoundTripsAtAnySize) {
  for (size_t n : {size_t{0}, size_t{1}, size_t{4095}, size_t{4096}, size_t{1} << 20}) {
    std::string text = Text(n);
    auto r = DecodeBody(Gzip(text), true, n + 10);
    ASSERT_TRUE(r.ok()) << n << ": " << r.status();
    EXPECT_EQ(*r, text) << n;
  }
}

TEST(BodyDecodeTest, ExactlyAtTheLimitIsAccepted) {
  std::string text = Text(100000);
  auto r = DecodeBody(Gzip(text), true, 100000);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->size(), 100000u);
  EXPECT_EQ(DecodeBody(Gzip(text), true, 99999).status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST(BodyDecodeTest, ConcatenatedMembersAreOneBody) {
  std::string a = Text(5000), b = Text(300);
  auto r = DecodeBody(Gzip(a) + Gzip("") + Gzip(b), true, 1 << 20);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, a + b);
}

TEST(BodyDecodeTest, EmptyGzipBodyIsEmpty) {
  auto r = DecodeBody("", true, 10);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
}

TEST(BodyDecodeTest, GzipBombIsRefusedWithoutInflatingIt) {
  // 256 MiB of zeros compress to about 256 KB; the limit is 1 MiB. Inflating it all would take
  // 256 MiB: the decoder must stop at the limit.
  std::string bomb;
  {
    z_stream z{};
    ASSERT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
    std::string zeros(1 << 20, '\0');
    std::string out(1 << 16, '\0');
    for (int i = 0; i < 256; ++i) {
      z.next_in = reinterpret_cast<Bytef*>(zeros.data());
      z.avail_in = static_cast<uInt>(zeros.size());
      int flush = i == 255 ? Z_FINISH : Z_NO_FLUSH;
      do {
        z.next_out = reinterpret_cast<Bytef*>(out.data());
        z.avail_out = static_cast<uInt>(out.size());
        deflate(&z, flush);
        bomb.append(out.data(), out.size() - z.avail_out);
      } while (z.avail_out == 0);
    }
    deflateEnd(&z);
  }
  ASSERT_LT(bomb.size(), 1u << 20);
  auto r = DecodeBody(bomb, true, 1 << 20);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("more than the limit of 1048576 bytes"), std::string::npos)
      << r.status();
}

TEST(BodyDecodeTest, TruncatedGzipSaysSo) {
  std::string gz = Gzip(Text(20000));
  for (size_t cut : {size_t{5}, gz.size() / 2, gz.size() - 4}) {
    auto r = DecodeBody(std::string_view(gz).substr(0, cut), true, 1 << 20);
    ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << cut;
    EXPECT_NE(r.status().message().find("truncated gzip body"), std::string::npos)
        << cut << ": " << r.status();
  }
}

TEST(BodyDecodeTest, CorruptGzipSaysSo) {
  std::string gz = Gzip(Text(20000));
  gz[gz.size() / 2] ^= 0x55;
  gz[gz.size() / 2 + 1] ^= 0x55;
  auto r = DecodeBody(gz, true, 1 << 20);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("corrupt gzip body"), std::string::npos) << r.status();

  auto not_gzip = DecodeBody("{\"txn\":\"A\"}\n", true, 1 << 20);
  EXPECT_EQ(not_gzip.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(not_gzip.status().message().find("corrupt gzip body"), std::string::npos)
      << not_gzip.status();
}

TEST(BodyDecodeTest, GarbageAfterTheLastMemberIsAnError) {
  auto r = DecodeBody(Gzip("x\n") + "trailing", true, 1 << 20);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("after the end of its last member"), std::string::npos)
      << r.status();
}

}  // namespace
}  // namespace vigil
