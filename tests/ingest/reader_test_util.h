// Helpers for the reader tests: temporary files, gzip writing, a realistic JSON line, and a
// heap watcher to prove the reader does not buffer over-long lines.
#pragma once

#include <gtest/gtest.h>
#include <malloc.h>
#include <stdlib.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace vigil::testing_ingest {

// A realistic record line with transaction code `txn`.
inline std::string JsonLine(const std::string& txn) {
  return R"({"ts":"2026-11-20T15:08:00.123+08:00","txn":")" + txn +
         R"(","ret":"000000","dur_ms":35,"sys":"MBNK","node":"app03","amount":1250.50})";
}

// A fresh directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = ::testing::TempDir() + "vigil_ingest_XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

  std::string Write(const std::string& name, const std::string& data) const {
    std::string p = path_ + "/" + name;
    std::ofstream(p, std::ios::binary) << data;
    return p;
  }
  // Writes `data` gzip-compressed (one member) and returns the path.
  std::string WriteGzip(const std::string& name, const std::string& data) const {
    std::string p = path_ + "/" + name;
    gzFile f = gzopen(p.c_str(), "wb");
    EXPECT_NE(f, nullptr);
    if (!data.empty())
      EXPECT_EQ(gzwrite(f, data.data(), static_cast<unsigned>(data.size())),
                static_cast<int>(data.size()));
    EXPECT_EQ(gzclose(f), Z_OK);
    return p;
  }
  std::string Read(const std::string& path) const {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  std::string path_;
};

// Samples the heap in use from the reader's progress callback.
struct HeapWatch {
  static size_t InUse() {
    struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;  // small blocks + mmapped ones (big buffers)
  }
  size_t base = InUse();
  size_t max_growth = 0;
  int samples = 0;
  static void Sample(void* ctx, int64_t) {
    auto* w = static_cast<HeapWatch*>(ctx);
    size_t now = InUse();
    if (now > w->base && now - w->base > w->max_growth) w->max_growth = now - w->base;
    ++w->samples;
  }
};

}  // namespace vigil::testing_ingest
