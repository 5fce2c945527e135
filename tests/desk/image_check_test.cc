// Attachments are checked by content: well-formed headers of the four formats pass with their
// size; everything else (text, SVG, HTML, PDF, a PNG signature on garbage, truncated headers,
// absurd sizes) is refused with a message naming what is wrong, and too many bytes is
// OutOfRange (→ 413).
#include "desk/image_check.h"

#include <gtest/gtest.h>

#include <string>

#include "zlib.h"

namespace vigil::desk {
namespace {

std::string Be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}
std::string Le16(uint32_t v) { return {static_cast<char>(v), static_cast<char>(v >> 8)}; }
std::string Le24(uint32_t v) { return Le16(v) + static_cast<char>(v >> 16); }
std::string Le32(uint32_t v) { return Le16(v) + Le16(v >> 16); }

std::string Png(uint32_t w, uint32_t h, char depth = 8, char color = 6) {
  std::string ihdr = "IHDR" + Be32(w) + Be32(h) + depth + color + std::string("\0\0\0", 3);
  uint32_t crc = crc32(0, reinterpret_cast<const Bytef*>(ihdr.data()), ihdr.size());
  return std::string("\x89PNG\r\n\x1A\n", 8) + Be32(13) + ihdr + Be32(crc) + Be32(0) + "IEND" +
         Be32(0xAE426082);
}

// SOI, an APP0 (JFIF) segment, then a SOFn frame header.
std::string Jpeg(uint32_t w, uint32_t h, uint8_t sof = 0xC0) {
  std::string app0 = std::string("\xFF\xE0", 2) + std::string("\0\x10", 2) + "JFIF" +
                     std::string("\0\x01\x01\0\0\x01\0\x01\0\0", 10);
  std::string frame = std::string("\xFF", 1) + static_cast<char>(sof) +
                      std::string("\0\x11\x08", 3) + static_cast<char>(h >> 8) +
                      static_cast<char>(h) + static_cast<char>(w >> 8) + static_cast<char>(w) +
                      "\x03" + std::string(9, '\x01');
  return std::string("\xFF\xD8", 2) + app0 + frame + "\xFF\xD9";
}

std::string Gif(uint32_t w, uint32_t h) {
  // 2-colour global table, then an image descriptor.
  return "GIF89a" + Le16(w) + Le16(h) + "\x80" + std::string("\0\0", 2) +
         std::string("\0\0\0\xFF\xFF\xFF", 6) + "\x2C" + std::string(9, '\0') + "\x3B";
}

std::string Riff(const std::string& fourcc, const std::string& data) {
  std::string body = "WEBP" + fourcc + Le32(data.size()) + data;
  return "RIFF" + Le32(body.size()) + body;
}
std::string WebpVp8(uint32_t w, uint32_t h) {
  return Riff("VP8 ", std::string("\x10\x02\x00\x9D\x01\x2A", 6) + Le16(w) + Le16(h) + "abcd");
}
std::string WebpVp8l(uint32_t w, uint32_t h) {
  return Riff("VP8L", "\x2F" + Le32((w - 1) | ((h - 1) << 14)) + "xyz");
}
std::string WebpVp8x(uint32_t w, uint32_t h) {
  return Riff("VP8X", std::string("\x10\0\0\0", 4) + Le24(w - 1) + Le24(h - 1));
}

void ExpectImage(const std::string& bytes, ImageType type, std::string_view ct, int w, int h) {
  auto info = CheckImage(bytes);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->type, type);
  EXPECT_EQ(info->content_type, ct);
  EXPECT_EQ(info->width, w);
  EXPECT_EQ(info->height, h);
}

void ExpectRejected(const std::string& bytes, std::string_view why) {
  auto info = CheckImage(bytes);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), absl::StatusCode::kInvalidArgument) << info.status();
  EXPECT_NE(std::string(info.status().message()).find(why), std::string::npos) << info.status();
}

TEST(ImageCheckTest, AcceptsTheFourFormatsAndReadsTheirSize) {
  ExpectImage(Png(640, 480), ImageType::kPng, "image/png", 640, 480);
  ExpectImage(Png(1, 1, 1, 3), ImageType::kPng, "image/png", 1, 1);
  ExpectImage(Jpeg(1080, 2340), ImageType::kJpeg, "image/jpeg", 1080, 2340);
  ExpectImage(Jpeg(800, 600, 0xC2), ImageType::kJpeg, "image/jpeg", 800, 600);  // progressive
  ExpectImage(Gif(320, 200), ImageType::kGif, "image/gif", 320, 200);
  ExpectImage(WebpVp8(750, 1334), ImageType::kWebp, "image/webp", 750, 1334);
  ExpectImage(WebpVp8l(16, 9), ImageType::kWebp, "image/webp", 16, 9);
  ExpectImage(WebpVp8x(4000, 3000), ImageType::kWebp, "image/webp", 4000, 3000);
}

TEST(ImageCheckTest, SidesAtTheLimitPassAndOneMoreIsRefused) {
  ExpectImage(Png(20000, 20000), ImageType::kPng, "image/png", 20000, 20000);
  ExpectRejected(Png(20001, 1), "larger than 20000 pixels");
  ExpectRejected(Png(0, 10), "zero width or height");
  ExpectRejected(Jpeg(10, 0), "zero width or height");
  ExpectRejected(Gif(65535, 65535), "larger than 20000");
  ExpectRejected(WebpVp8x(16777216, 1), "larger than 20000");
  ExpectImage(WebpVp8x(20000, 1), ImageType::kWebp, "image/webp", 20000, 1);
}

TEST(ImageCheckTest, SizeLimitIsOutOfRangeAboveTheLimitOnly) {
  std::string png = Png(10, 10);
  png.resize(kMaxImageBytes, '\0');  // IDAT-less padding: the header is what is checked
  EXPECT_TRUE(CheckImage(png).ok());
  png.push_back('\0');
  auto info = CheckImage(png);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(CheckImage(Png(10, 10), 20).status().code(), absl::StatusCode::kOutOfRange);
}

TEST(ImageCheckTest, RefusesDocumentsWhateverTheirName) {
  ExpectRejected("", "empty");
  ExpectRejected("just some text, named screenshot.png", "not a PNG, JPEG, GIF or WebP");
  ExpectRejected("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
                 "SVG");
  ExpectRejected("\xEF\xBB\xBF  <?xml version=\"1.0\"?>\n<svg onload=\"alert(1)\"/>", "SVG");
  ExpectRejected("<!DOCTYPE html><html><body>hi</body></html>", "HTML");
  ExpectRejected("<html><script>alert(1)</script>", "HTML");
  ExpectRejected("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", "PDF");
  ExpectRejected("GIF90a" + std::string(20, 'x'), "GIF with an unknown version");
}

TEST(ImageCheckTest, RefusesAPngSignatureFollowedByGarbage) {
  std::string garbage = std::string("\x89PNG\r\n\x1A\n", 8) + std::string(40, 'A');
  ExpectRejected(garbage, "not followed by an IHDR");
  std::string bad_crc = Png(10, 10);
  bad_crc[20] ^= 1;  // height changed, CRC not
  ExpectRejected(bad_crc, "wrong CRC");
  ExpectRejected(Png(10, 10, 3, 2), "colour type");  // RGB at 3 bits
}

TEST(ImageCheckTest, RefusesTruncatedHeadersOfEveryFormat) {
  const std::string whole[] = {Png(10, 10),     Jpeg(10, 10),     Gif(10, 10),
                               WebpVp8(10, 10), WebpVp8l(10, 10), WebpVp8x(10, 10)};
  for (const std::string& img : whole) {
    ASSERT_TRUE(CheckImage(img).ok()) << CheckImage(img).status();
    // Every cut before the end of the size-bearing header fails (GIF: before its first block).
    for (size_t n = 3; n < 20; ++n) {
      EXPECT_FALSE(CheckImage(img.substr(0, n)).ok()) << n << " bytes of " << img.substr(0, 4);
    }
  }
  ExpectRejected(Png(10, 10).substr(0, 32), "truncated PNG");
  ExpectRejected(Jpeg(10, 10).substr(0, 24), "truncated JPEG");
  ExpectRejected(Gif(10, 10).substr(0, 19), "truncated GIF");
  ExpectRejected(WebpVp8(10, 10).substr(0, 25), "truncated WebP");
}

TEST(ImageCheckTest, RefusesJpegWithoutAFrameHeader) {
  ExpectRejected(std::string("\xFF\xD8\xFF\xD9", 4), "no frame header");
  ExpectRejected(std::string("\xFF\xD8\xFF\xDA\0\x08", 6) + std::string(20, 'x'),
                 "no frame header");
  ExpectRejected(std::string("\xFF\xD8\xFF\xE0\0\x10", 6) + std::string(14, 'x') + "garbage",
                 "does not start with a marker");
}

TEST(ImageCheckTest, RefusesWebpWithoutAnImageChunk) {
  ExpectRejected(Riff("ICCP", std::string(20, 'x')), "without a VP8");
  std::string not_key = WebpVp8(10, 10);
  not_key[20] = '\x11';  // inter frame
  ExpectRejected(not_key, "key frame");
}

}  // namespace
}  // namespace vigil::desk
