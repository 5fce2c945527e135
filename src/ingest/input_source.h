// Internal to src/ingest: the bytes of one input (a file or stdin), inflated on the fly when
// they are gzip (recognised by the magic bytes 1f 8b, whatever the name). Concatenated gzip
// members are read as one stream; a truncated or corrupt stream ends the data with an error.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace vigil::ingest_internal {

class InputSource {
 public:
  InputSource() = default;
  InputSource(const InputSource&) = delete;
  InputSource& operator=(const InputSource&) = delete;
  ~InputSource();

  // Opens `path` ("-" is stdin) and looks at its first bytes. `read_bytes` is the size of one
  // read of compressed input.
  absl::Status Open(const std::string& path, size_t read_bytes);

  // Reads up to `cap` bytes of (uncompressed) data into `dst`. 0 means the end of the data:
  // the whole input when error() is empty, else the point where it broke off.
  size_t Read(char* dst, size_t cap);

  // What went wrong, without the file name: "truncated gzip stream: input ended after 812
  // compressed bytes". Empty while all is well.
  const std::string& error() const { return error_; }
  bool gzip() const { return gzip_; }

 private:
  size_t ReadRaw(char* dst, size_t cap);
  size_t Inflate(char* dst, size_t cap);
  bool Fill();                             // refills in_ from the file; false on a read error
  size_t ReadSome(char* dst, size_t cap);  // read(2) with EINTR retry; sets error_ on failure

  int fd_ = -1;
  bool owns_fd_ = false;
  bool eof_ = false;
  bool gzip_ = false;
  bool z_init_ = false;
  bool member_done_ = false;
  z_stream z_{};
  std::vector<unsigned char> in_;
  size_t in_pos_ = 0, in_len_ = 0;  // unread sniffed bytes (plain input only)
  int64_t compressed_ = 0;          // compressed bytes read so far
  int read_errno_ = 0;
  std::string error_;
};

}  // namespace vigil::ingest_internal
