// InputSource: plain or gzip bytes from a file or stdin, inflated with zlib as they are read.
#include "ingest/input_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/strings.h"
#include "fmt/format.h"

namespace vigil::ingest_internal {

InputSource::~InputSource() {
  if (z_init_) inflateEnd(&z_);
  if (owns_fd_ && fd_ >= 0) close(fd_);
}

absl::Status InputSource::Open(const std::string& path, size_t read_bytes) {
  if (path == "-") {
    fd_ = STDIN_FILENO;
  } else {
    fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      int e = errno;
      return absl::ErrnoToStatus(e, AsAbsl(fmt::format("cannot open {}", path)));
    }
    owns_fd_ = true;
  }
  in_.resize(std::clamp<size_t>(read_bytes, 16, 1 << 20));
  // Sniff: gather at least two bytes (a pipe may deliver them one at a time).
  while (in_len_ < 2 && !eof_) {
    size_t n = ReadSome(reinterpret_cast<char*>(in_.data()) + in_len_, in_.size() - in_len_);
    if (read_errno_ != 0) {
      return absl::ErrnoToStatus(
          read_errno_, AsAbsl(fmt::format("cannot read {}", path == "-" ? "stdin" : path)));
    }
    if (n == 0) eof_ = true;
    in_len_ += n;
  }
  gzip_ = in_len_ >= 2 && in_[0] == 0x1f && in_[1] == 0x8b;
  if (gzip_) {
    if (inflateInit2(&z_, 15 + 32) != Z_OK) return absl::InternalError("zlib inflateInit2 failed");
    z_init_ = true;
    z_.next_in = in_.data();
    z_.avail_in = static_cast<uInt>(in_len_);
    compressed_ = static_cast<int64_t>(in_len_);
    in_len_ = 0;
  }
  return absl::OkStatus();
}

size_t InputSource::ReadSome(char* dst, size_t cap) {
  while (true) {
    ssize_t n = read(fd_, dst, cap);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno == EINTR) continue;
    read_errno_ = errno;
    error_ = fmt::format("read failed: {}", std::strerror(errno));
    return 0;
  }
}

size_t InputSource::Read(char* dst, size_t cap) {
  if (!error_.empty() || cap == 0) return 0;
  return gzip_ ? Inflate(dst, cap) : ReadRaw(dst, cap);
}

size_t InputSource::ReadRaw(char* dst, size_t cap) {
  if (in_pos_ < in_len_) {  // the sniffed bytes come first
    size_t n = std::min(cap, in_len_ - in_pos_);
    memcpy(dst, in_.data() + in_pos_, n);
    in_pos_ += n;
    return n;
  }
  if (eof_) return 0;
  size_t n = ReadSome(dst, cap);
  if (n == 0) eof_ = true;
  return n;
}

bool InputSource::Fill() {
  size_t n = ReadSome(reinterpret_cast<char*>(in_.data()), in_.size());
  if (!error_.empty()) return false;
  if (n == 0) eof_ = true;
  z_.next_in = in_.data();
  z_.avail_in = static_cast<uInt>(n);
  compressed_ += static_cast<int64_t>(n);
  return true;
}

size_t InputSource::Inflate(char* dst, size_t cap) {
  z_.next_out = reinterpret_cast<Bytef*>(dst);
  z_.avail_out = static_cast<uInt>(std::min<size_t>(cap, 1u << 30));
  const uInt want = z_.avail_out;
  while (z_.avail_out > 0) {
    if (z_.avail_in == 0 && !eof_ && !Fill()) break;
    if (member_done_) {
      if (z_.avail_in == 0) {
        if (eof_) break;  // the end of the last member: the whole stream was read
        continue;
      }
      if (z_.next_in[0] != 0x1f) {  // neither the end nor another gzip member
        error_ = fmt::format(
            "corrupt gzip stream: unexpected data after the gzip member "
            "ending at compressed byte {}",
            compressed_ - z_.avail_in);
        break;
      }
      inflateReset(&z_);
      member_done_ = false;
    }
    if (z_.avail_in == 0) {  // eof_ here, in the middle of a member
      error_ =
          fmt::format("truncated gzip stream: input ended after {} compressed bytes", compressed_);
      break;
    }
    int ret = inflate(&z_, Z_NO_FLUSH);
    if (ret == Z_STREAM_END) {
      member_done_ = true;
    } else if (ret != Z_OK && (ret != Z_BUF_ERROR || z_.avail_in > 0)) {
      error_ = fmt::format("corrupt gzip stream at compressed byte {} ({})",
                           compressed_ - z_.avail_in, z_.msg ? z_.msg : zError(ret));
      break;
    }
  }
  return want - z_.avail_out;
}

}  // namespace vigil::ingest_internal
