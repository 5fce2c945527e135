// Attachments are images only, and an image is what its bytes say, never its name or the
// request's Content-Type: the magic number and the header that gives the picture's size are
// parsed for PNG (IHDR, its CRC checked), JPEG (the SOFn frame header), GIF (the logical screen
// and the first block) and WebP (RIFF with a VP8, VP8L or VP8X chunk). SVG is refused on purpose:
// it is XML that can carry scripts.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

#include "absl/status/statusor.h"

namespace vigil::desk {

enum class ImageType { kPng, kJpeg, kGif, kWebp };

struct ImageInfo {
  ImageType type;
  std::string_view content_type;  // "image/png", "image/jpeg", "image/gif", "image/webp" (static)
  int width = 0;
  int height = 0;
};

inline constexpr size_t kMaxImageBytes = 5u << 20;
inline constexpr int kMaxImageSide = 20000;

// OutOfRange when bytes.size() > max_bytes (→ 413); InvalidArgument naming what is wrong for
// anything else that is not a well-formed PNG/JPEG/GIF/WebP header (→ 415): text, SVG, HTML,
// PDF, truncated headers, 0 or > 20000 pixel sides.
absl::StatusOr<ImageInfo> CheckImage(std::string_view bytes, size_t max_bytes = kMaxImageBytes);

}  // namespace vigil::desk
