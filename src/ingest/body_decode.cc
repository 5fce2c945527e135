// DecodeBody: zlib inflate of gzip members into a buffer that grows up to a hard limit.
#include "ingest/body_decode.h"

#include <zlib.h>

#include <algorithm>

#include "absl/status/status.h"
#include "common/strings.h"
#include "fmt/format.h"

namespace vigil {
namespace {

constexpr int kGzipOnly = 16 + MAX_WBITS;  // windowBits for a gzip wrapper (not zlib, not raw)
constexpr size_t kMaxDeflateRatio = 1032;  // deflate never expands one byte to more than this

absl::Status TooLarge(size_t max_bytes) {
  return absl::ResourceExhaustedError(
      AsAbsl(fmt::format("body inflates to more than the limit of {} bytes", max_bytes)));
}

// Owns a z_stream set up for gzip members.
class Inflater {
 public:
  Inflater() { ok_ = inflateInit2(&z_, kGzipOnly) == Z_OK; }
  ~Inflater() {
    if (ok_) inflateEnd(&z_);
  }
  bool ok() const { return ok_; }
  z_stream& z() { return z_; }

 private:
  z_stream z_{};
  bool ok_ = false;
};

absl::Status Corrupt(const z_stream& z, size_t consumed, int code) {
  const char* what = z.msg != nullptr ? z.msg : zError(code);
  return absl::InvalidArgumentError(
      AsAbsl(fmt::format("corrupt gzip body at compressed byte {}: {}", consumed, what)));
}

// How much room to start with: the last member's ISIZE (the inflated size mod 2^32, the
// whole body's for a single member) when it is believable, plus one byte so that the stream
// can end without a second pass; else a guess of the usual text ratio.
size_t InitialRoom(std::string_view body, size_t max_bytes) {
  if (body.size() >= 18) {  // a gzip member is at least 18 bytes
    const auto* t = reinterpret_cast<const unsigned char*>(body.data() + body.size() - 4);
    const size_t isize = size_t{t[0]} | size_t{t[1]} << 8 | size_t{t[2]} << 16 | size_t{t[3]} << 24;
    if (isize <= max_bytes && isize <= body.size() * kMaxDeflateRatio) return std::min(max_bytes, isize + 1);
  }
  return std::min(max_bytes, std::max<size_t>(body.size() * 4, 4096));
}

// Inflates every member of `body` into *out from its start; returns the bytes produced.
absl::StatusOr<size_t> Inflate(std::string_view body, size_t max_bytes, std::string* out) {
  Inflater inflater;
  if (!inflater.ok()) return absl::InternalError("zlib: inflateInit2 failed");
  z_stream& z = inflater.z();
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  // Bodies are far below 4 GiB (the HTTP limit sees to that); clamp anyway.
  z.avail_in = static_cast<uInt>(std::min<size_t>(body.size(), UINT32_MAX));
  // Room grows by doubling, never past the limit; a reused buffer's size is used as it is.
  size_t room = std::max(out->size(), InitialRoom(body, max_bytes));
  if (out->size() < room) out->resize(room);
  room = std::min(out->size(), max_bytes);
  size_t produced = 0;
  while (true) {
    if (produced == room && room < max_bytes) {
      room = std::min(max_bytes, room * 2);
      if (out->size() < room) out->resize(room);
    }
    // Full at the limit: inflate into a one-byte probe; any output means the body is too large.
    unsigned char probe;
    const bool probing = produced == room;
    z.next_out = probing ? &probe : reinterpret_cast<Bytef*>(out->data() + produced);
    z.avail_out = probing ? 1 : static_cast<uInt>(std::min<size_t>(room - produced, UINT32_MAX));
    const uInt before = z.avail_out;
    const int rc = inflate(&z, Z_NO_FLUSH);
    const size_t got = before - z.avail_out;
    if (probing && got > 0) return TooLarge(max_bytes);
    produced += got;
    if (rc == Z_STREAM_END) {
      if (z.avail_in == 0) break;
      // Another member follows (cat a.gz b.gz); anything else is garbage.
      if (z.avail_in < 2 || z.next_in[0] != 0x1f || z.next_in[1] != 0x8b) {
        return absl::InvalidArgumentError(AsAbsl(fmt::format(
            "gzip body has {} bytes after the end of its last member that are not gzip",
            z.avail_in)));
      }
      if (inflateReset(&z) != Z_OK) return absl::InternalError("zlib: inflateReset failed");
      continue;
    }
    const bool starved = z.avail_in == 0 && z.avail_out > 0;  // wants input that is not there
    if ((rc == Z_OK || rc == Z_BUF_ERROR) && starved) {
      return absl::InvalidArgumentError(AsAbsl(fmt::format(
          "truncated gzip body: input ended inside a member after {} compressed bytes ({} "
          "inflated)",
          body.size(), produced)));
    }
    if (rc != Z_OK) return Corrupt(z, body.size() - z.avail_in, rc);
  }
  return produced;
}

absl::Status CheckPlain(std::string_view body, size_t max_bytes) {
  if (body.size() <= max_bytes) return absl::OkStatus();
  return absl::ResourceExhaustedError(
      AsAbsl(fmt::format("body of {} bytes is over the limit of {} bytes", body.size(), max_bytes)));
}

}  // namespace

absl::StatusOr<std::string_view> DecodeBodyInto(std::string_view body, bool gzip, size_t max_bytes,
                                                std::string* buffer) {
  if (!gzip) {
    if (auto s = CheckPlain(body, max_bytes); !s.ok()) return s;
    return body;
  }
  if (body.empty()) return std::string_view();
  absl::StatusOr<size_t> produced = Inflate(body, max_bytes, buffer);
  if (!produced.ok()) return produced.status();
  return std::string_view(buffer->data(), *produced);
}

absl::StatusOr<std::string> DecodeBody(std::string_view body, bool gzip, size_t max_bytes) {
  if (!gzip) {
    if (auto s = CheckPlain(body, max_bytes); !s.ok()) return s;
    return std::string(body);
  }
  std::string out;
  if (body.empty()) return out;
  absl::StatusOr<size_t> produced = Inflate(body, max_bytes, &out);
  if (!produced.ok()) return produced.status();
  out.resize(*produced);
  return out;
}

}  // namespace vigil
