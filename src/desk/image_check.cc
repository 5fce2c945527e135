// Image sniffing (image_check.h). Every read is bounds-checked against the bytes; a header that
// ends early is "truncated".
#include "desk/image_check.h"

#include <array>
#include <cctype>
#include <cstdint>

#include "absl/status/status.h"
#include "common/strings.h"
#include "fmt/format.h"
#include "zlib.h"

namespace vigil::desk {
namespace {

uint32_t Be16(std::string_view b, size_t i) {
  return (uint32_t{static_cast<uint8_t>(b[i])} << 8) | static_cast<uint8_t>(b[i + 1]);
}
uint32_t Be32(std::string_view b, size_t i) { return (Be16(b, i) << 16) | Be16(b, i + 2); }
uint32_t Le16(std::string_view b, size_t i) {
  return static_cast<uint8_t>(b[i]) | (uint32_t{static_cast<uint8_t>(b[i + 1])} << 8);
}
uint32_t Le24(std::string_view b, size_t i) {
  return Le16(b, i) | (uint32_t{static_cast<uint8_t>(b[i + 2])} << 16);
}
uint32_t Le32(std::string_view b, size_t i) { return Le16(b, i) | (Le16(b, i + 2) << 16); }

absl::Status Bad(std::string_view what) {
  return absl::InvalidArgumentError(AsAbsl(fmt::format("not an accepted image: {}", what)));
}

absl::StatusOr<ImageInfo> Sized(ImageType type, std::string_view content_type, uint32_t w,
                                uint32_t h) {
  if (w == 0 || h == 0) return Bad(fmt::format("{} has a zero width or height", content_type));
  if (w > kMaxImageSide || h > kMaxImageSide) {
    return Bad(fmt::format("{} of {}x{} pixels is larger than {} pixels a side", content_type, w, h,
                           kMaxImageSide));
  }
  return ImageInfo{type, content_type, static_cast<int>(w), static_cast<int>(h)};
}

absl::StatusOr<ImageInfo> Png(std::string_view b) {
  // signature(8) | length(4)=13 | "IHDR" | width(4) height(4) depth type comp filter interlace |
  // crc(4)
  if (b.size() < 33) return Bad("truncated PNG (no complete IHDR chunk)");
  if (Be32(b, 8) != 13 || b.substr(12, 4) != "IHDR") {
    return Bad("PNG signature not followed by an IHDR chunk");
  }
  // The CRC covers the chunk type and data: 17 bytes from offset 12.
  if (crc32(0, reinterpret_cast<const Bytef*>(b.data() + 12), 17) != Be32(b, 29)) {
    return Bad("PNG IHDR chunk has a wrong CRC");
  }
  const uint8_t depth = b[24], color = b[25];
  const bool depth_ok =
      (color == 0 && (depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16)) ||
      (color == 3 && (depth == 1 || depth == 2 || depth == 4 || depth == 8)) ||
      ((color == 2 || color == 4 || color == 6) && (depth == 8 || depth == 16));
  if (!depth_ok || b[26] != 0 || b[27] != 0 || static_cast<uint8_t>(b[28]) > 1) {
    return Bad("PNG IHDR has invalid colour type, bit depth or method fields");
  }
  return Sized(ImageType::kPng, "image/png", Be32(b, 16), Be32(b, 20));
}

bool IsSof(uint8_t m) { return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC; }

// Walks the marker segments up to the first frame header (SOFn: baseline, progressive, ...).
absl::StatusOr<ImageInfo> Jpeg(std::string_view b) {
  size_t i = 2;
  while (true) {
    if (i >= b.size() || static_cast<uint8_t>(b[i]) != 0xFF) {
      return i >= b.size() ? Bad("truncated JPEG (no frame header)")
                           : Bad("JPEG segment does not start with a marker");
    }
    while (i < b.size() && static_cast<uint8_t>(b[i]) == 0xFF) ++i;  // fill bytes
    if (i >= b.size()) return Bad("truncated JPEG (no frame header)");
    const uint8_t marker = b[i++];
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;
    if (marker == 0xD9 || marker == 0xDA || marker == 0x00) {
      return Bad("JPEG has no frame header before its image data");
    }
    if (i + 2 > b.size()) return Bad("truncated JPEG (no frame header)");
    const size_t len = Be16(b, i);
    if (len < 2) return Bad("JPEG segment with an invalid length");
    if (IsSof(marker)) {
      // length(2) precision(1) height(2) width(2) components(1)
      if (len < 8 || i + 8 > b.size()) return Bad("truncated JPEG frame header");
      return Sized(ImageType::kJpeg, "image/jpeg", Be16(b, i + 5), Be16(b, i + 3));
    }
    i += len;
  }
}

absl::StatusOr<ImageInfo> Gif(std::string_view b) {
  // "GIF8?a" | width(2 LE) height(2 LE) packed bg aspect | [global colour table] | first block
  if (b.size() < 13) return Bad("truncated GIF (no logical screen descriptor)");
  size_t next = 13;
  const uint8_t packed = b[10];
  if (packed & 0x80) next += 3u * (2u << (packed & 0x07));
  if (next >= b.size()) return Bad("truncated GIF (nothing after its header)");
  const uint8_t block = b[next];
  if (block != 0x2C && block != 0x21 && block != 0x3B) {
    return Bad("GIF header not followed by an image, extension or trailer");
  }
  return Sized(ImageType::kGif, "image/gif", Le16(b, 6), Le16(b, 8));
}

absl::StatusOr<ImageInfo> Webp(std::string_view b) {
  // "RIFF" size(4 LE) "WEBP" | chunk fourcc(4) chunk size(4 LE) | chunk data
  if (b.size() < 20) return Bad("truncated WebP (no first chunk)");
  if (uint64_t{Le32(b, 4)} + 8 > b.size()) return Bad("truncated WebP (RIFF size past the end)");
  const std::string_view fourcc = b.substr(12, 4);
  const std::string_view data = b.substr(20);
  if (fourcc == "VP8 ") {
    // frame tag(3, key frame when bit 0 is 0) | 9D 01 2A | width(14 bits) | height(14 bits)
    if (data.size() < 10) return Bad("truncated WebP VP8 header");
    if ((data[0] & 1) != 0 || data.substr(3, 3) != "\x9D\x01\x2A") {
      return Bad("WebP VP8 chunk without a key frame start code");
    }
    return Sized(ImageType::kWebp, "image/webp", Le16(data, 6) & 0x3FFF, Le16(data, 8) & 0x3FFF);
  }
  if (fourcc == "VP8L") {
    // 0x2F | (width-1: 14 bits)(height-1: 14 bits)(alpha: 1)(version: 3 bits, 0)
    if (data.size() < 5) return Bad("truncated WebP VP8L header");
    const uint32_t bits = Le32(data, 1);
    if (static_cast<uint8_t>(data[0]) != 0x2F || (bits >> 29) != 0) {
      return Bad("WebP VP8L chunk with a wrong signature or version");
    }
    return Sized(ImageType::kWebp, "image/webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
  }
  if (fourcc == "VP8X") {
    // flags(1) reserved(3) | canvas width-1 (24 bits) | canvas height-1 (24 bits)
    if (data.size() < 10) return Bad("truncated WebP VP8X header");
    return Sized(ImageType::kWebp, "image/webp", Le24(data, 4) + 1, Le24(data, 7) + 1);
  }
  return Bad("WebP without a VP8, VP8L or VP8X chunk");
}

// Names what the bytes look like when they are no image at all, for the 415 message.
std::string Describe(std::string_view b) {
  std::string_view s = b;
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s[0]))) s.remove_prefix(1);
  std::string head;
  for (char c : s.substr(0, 64))
    head += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (head.starts_with("%pdf")) return "a PDF document";
  if (head.starts_with("<svg") || (head.starts_with("<?xml") && b.find("<svg") != b.npos)) {
    return "an SVG drawing (SVG is refused: it can carry scripts)";
  }
  if (head.starts_with("<!doctype html") || head.starts_with("<html") ||
      head.starts_with("<script") || head.starts_with("<!--")) {
    return "an HTML page";
  }
  if (head.starts_with("<?xml")) return "an XML document";
  if (head.starts_with("gif")) return "a GIF with an unknown version";
  return "not a PNG, JPEG, GIF or WebP file";
}

}  // namespace

absl::StatusOr<ImageInfo> CheckImage(std::string_view bytes, size_t max_bytes) {
  if (bytes.size() > max_bytes) {
    return absl::OutOfRangeError(AsAbsl(fmt::format(
        "image of {} bytes is larger than the limit of {} bytes", bytes.size(), max_bytes)));
  }
  if (bytes.empty()) return Bad("the file is empty");
  if (bytes.starts_with("\x89PNG\r\n\x1A\n")) return Png(bytes);
  if (bytes.starts_with("\xFF\xD8\xFF")) return Jpeg(bytes);
  if (bytes.starts_with("GIF87a") || bytes.starts_with("GIF89a")) return Gif(bytes);
  if (bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP") {
    return Webp(bytes);
  }
  return Bad(Describe(bytes));
}

}  // namespace vigil::desk
