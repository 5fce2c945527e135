// libFuzzer target: ParseBuffer over arbitrary bytes in both formats, and ReadRecords over the
// same bytes (through a memfd, in tiny chunks, gzip included) — which must report exactly the
// same records and rejections whenever the input is plain and its header usable.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "ingest/reader.h"

namespace {

// Reads `bytes` with ReadRecords from an in-memory file.
absl::Status ReadViaFile(std::string_view bytes, const vigil::ReaderOptions& opt,
                         vigil::RecordSink* sink) {
  int fd = memfd_create("vigil_fuzz", 0);
  if (fd < 0) return absl::InternalError("memfd_create");
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  absl::Status st = vigil::ReadRecords("/proc/self/fd/" + std::to_string(fd), opt, sink, nullptr);
  close(fd);
  return st;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  if (size < 1) return 0;
  // First byte: format (2 bits), line limit (3 bits), chunk size (3 bits).
  ReaderOptions opt;
  opt.format = static_cast<InputFormat>(data[0] % 3);
  opt.max_line_bytes = size_t{8} << ((data[0] >> 2) & 7);  // 8 .. 1024
  opt.chunk_bytes = size_t{1} << ((data[0] >> 5) & 7);     // 1 .. 128
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<char> exact(bytes.begin(), bytes.end());  // no slack after the data for ASan

  fuzz::TranscriptSink from_buffer;
  ReadStats stats;
  ParseBuffer(std::string_view(exact.data(), exact.size()), opt, &from_buffer, &stats);
  fuzz::Check(stats.records + stats.rejected <= stats.lines, "every delivered line was counted");

  fuzz::TranscriptSink from_file;
  absl::Status st = ReadViaFile(bytes, opt, &from_file);
  bool gzip = bytes.size() >= 2 && bytes[0] == '\x1f' && bytes[1] == '\x8b';
  if (st.ok() && !gzip && from_file.text != from_buffer.text) {
    std::fprintf(stderr, "ParseBuffer:\n%s\nReadRecords:\n%s\n", from_buffer.text.c_str(),
                 from_file.text.c_str());
    fuzz::Check(false, "ReadRecords == ParseBuffer");
  }
  return 0;
}
