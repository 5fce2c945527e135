// Shared by the fuzz targets: a copy of the input in an exactly sized heap block (so that ASan
// sees any read past the padding) and a sink that checks what the parsers promise.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "ingest/parse.h"
#include "ingest/reader.h"

namespace vigil::fuzz {

// `data` followed by exactly kParsePadding zero bytes, as the reader provides it.
class PaddedCopy {
 public:
  PaddedCopy(const uint8_t* data, size_t size) : buf_(size + kParsePadding, 0) {
    if (size > 0) std::memcpy(buf_.data(), data, size);
    size_ = size;
  }
  std::string_view view() const { return std::string_view(buf_.data(), size_); }

 private:
  std::vector<char> buf_;
  size_t size_ = 0;
};

inline void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

inline size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// What every accepted record must satisfy (contract section 1 and record.h).
inline void CheckRecord(const RecordView& r) {
  size_t chars = CodePoints(r.txn);
  Check(chars >= 1 && chars <= 32, "txn has 1-32 characters");
  Check(!r.ret.empty(), "ret is present");
  Check(!r.has_end_ts || r.end_ts >= r.ts, "end_ts is not before ts");
  if (r.phase == Phase::kStart) {
    Check(r.time == r.ts, "a start record's time is its ts");
  } else if (r.has_end_ts) {
    Check(r.time == r.end_ts, "time is end_ts");
  } else {
    Check(r.time >= r.ts, "time is not before ts");
  }
  Check(r.duration_ms == -1 || r.duration_ms >= 0, "duration is unknown or >= 0");
  // Touch every view, so that ASan notices a dangling one.
  size_t sum = 0;
  for (std::string_view s :
       {r.txn, r.ret, r.sys, r.svc_sys, r.svc_ret, r.node, r.serial, r.org, r.msg}) {
    for (char c : s) sum += static_cast<unsigned char>(c);
  }
  Check(sum != SIZE_MAX, "views readable");
}

inline void CheckError(const ParseError& e) {
  Check(!e.detail.empty(), "a rejection explains itself");
  Check(static_cast<int>(e.reason) < kRejectReasonCount, "reason in range");
}

// Records what it is given as text, for comparing two ways of reading the same input.
class TranscriptSink : public RecordSink {
 public:
  void OnRecord(const RecordView& r, int64_t line) override {
    CheckRecord(r);
    text += fmt::format("{} ok {} {} {} {} {} {}|{}|{}|{}|{}|{}|{}|{}|{}\n", line, r.ts, r.time,
                        r.duration_ms, r.has_end_ts, static_cast<int>(r.phase), r.txn, r.ret, r.sys,
                        r.svc_sys, r.svc_ret, r.node, r.serial, r.org, r.msg);
  }
  void OnReject(const ParseError& e, int64_t line) override {
    CheckError(e);
    text +=
        fmt::format("{} reject {} {} {}\n", line, RejectReasonName(e.reason), e.field, e.detail);
  }
  std::string text;
};

}  // namespace vigil::fuzz
