#include "store/history_codec.h"

#include <zlib.h>

#include <algorithm>
#include <limits>

namespace vigil::store {
namespace {

constexpr uint8_t kPlain = 1;
constexpr uint8_t kZlib = 2;
// A day is at most 25 hours; anything far beyond is corruption, not data.
constexpr uint64_t kMaxEntries = 1 << 16;

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}
void PutSigned(std::string* out, int64_t v) {
  PutVarint(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool Varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64 && pos_ < in_.size(); shift += 7) {
      uint8_t b = static_cast<uint8_t>(in_[pos_++]);
      *v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }
  bool Signed(int64_t* v) {
    uint64_t u = 0;
    if (!Varint(&u)) return false;
    *v = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
    return true;
  }
  bool done() const { return pos_ == in_.size(); }
  std::string_view rest() const { return in_.substr(pos_); }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

MinuteCounts Canonical(MinuteCounts m) {
  auto by_minute = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (!std::is_sorted(m.begin(), m.end(), by_minute)) std::stable_sort(m.begin(), m.end(), by_minute);
  MinuteCounts out;
  out.reserve(m.size());
  for (const auto& [minute, n] : m) {
    if (n == 0) continue;
    if (!out.empty() && out.back().first == minute) {
      uint64_t sum = uint64_t{out.back().second} + n;
      out.back().second = static_cast<uint32_t>(std::min<uint64_t>(sum, UINT32_MAX));
    } else {
      out.emplace_back(minute, n);
    }
  }
  return out;
}

std::string EncodeBody(const MinuteCounts& m) {
  std::vector<std::pair<size_t, size_t>> runs;  // [begin, end) indexes into m
  for (size_t i = 0; i < m.size(); ++i) {
    if (runs.empty() || m[i].first != m[i - 1].first + 1) runs.emplace_back(i, i);
    runs.back().second = i + 1;
  }
  std::string body;
  PutVarint(&body, runs.size());
  int64_t prev_end = 0, prev_count = 0;
  for (const auto& [b, e] : runs) {
    PutSigned(&body, m[b].first - prev_end);
    PutVarint(&body, e - b - 1);
    for (size_t i = b; i < e; ++i) {
      PutSigned(&body, int64_t{m[i].second} - prev_count);
      prev_count = m[i].second;
    }
    prev_end = m[e - 1].first + 1;
  }
  return body;
}

absl::StatusOr<MinuteCounts> DecodeBody(std::string_view body) {
  auto corrupt = [] { return absl::DataLossError("corrupt history blob (minute counts)"); };
  Reader r(body);
  uint64_t runs = 0;
  if (!r.Varint(&runs) || runs > kMaxEntries) return corrupt();
  MinuteCounts out;
  int64_t prev_end = 0, prev_count = 0;
  for (uint64_t k = 0; k < runs; ++k) {
    int64_t gap = 0;
    uint64_t len_minus_one = 0;
    if (!r.Signed(&gap) || !r.Varint(&len_minus_one) || len_minus_one >= kMaxEntries ||
        out.size() + len_minus_one >= kMaxEntries || gap < INT32_MIN || gap > INT32_MAX) {
      return corrupt();
    }
    int64_t minute = prev_end + gap;
    out.reserve(out.size() + len_minus_one + 1);
    for (uint64_t i = 0; i <= len_minus_one; ++i, ++minute) {
      int64_t delta = 0;
      if (!r.Signed(&delta)) return corrupt();
      int64_t count = prev_count + delta;
      if (count <= 0 || count > UINT32_MAX || minute < INT32_MIN || minute > INT32_MAX) return corrupt();
      out.emplace_back(static_cast<int>(minute), static_cast<uint32_t>(count));
      prev_count = count;
    }
    prev_end = minute;
  }
  if (!r.done()) return corrupt();
  return out;
}

}  // namespace

std::string EncodeMinutes(MinuteCounts minutes) {
  std::string body = EncodeBody(Canonical(std::move(minutes)));
  uLongf packed_size = compressBound(body.size());
  std::string packed(packed_size, '\0');
  bool zipped = compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size,
                          reinterpret_cast<const Bytef*>(body.data()), body.size(),
                          Z_BEST_COMPRESSION) == Z_OK;
  std::string out;
  if (zipped) {
    std::string header(1, static_cast<char>(kZlib));
    PutVarint(&header, body.size());
    if (header.size() + packed_size < body.size() + 1) {
      packed.resize(packed_size);
      return header + packed;
    }
  }
  out.push_back(static_cast<char>(kPlain));
  out += body;
  return out;
}

absl::StatusOr<MinuteCounts> DecodeMinutes(std::string_view blob) {
  if (blob.empty()) return absl::DataLossError("corrupt history blob (empty)");
  uint8_t tag = static_cast<uint8_t>(blob[0]);
  if (tag == kPlain) return DecodeBody(blob.substr(1));
  if (tag != kZlib) return absl::DataLossError("corrupt history blob (unknown format)");
  Reader r(blob.substr(1));
  uint64_t size = 0;
  if (!r.Varint(&size) || size > kMaxEntries * 16) {
    return absl::DataLossError("corrupt history blob (length)");
  }
  std::string body(size, '\0');
  uLongf body_size = size;
  std::string_view packed = r.rest();
  uLong packed_size = packed.size();  // in: the bytes given; out: the bytes the stream used
  if (uncompress2(reinterpret_cast<Bytef*>(body.data()), &body_size,
                  reinterpret_cast<const Bytef*>(packed.data()), &packed_size) != Z_OK ||
      body_size != size || packed_size != packed.size()) {
    return absl::DataLossError("corrupt history blob (zlib)");
  }
  return DecodeBody(body);
}

}  // namespace vigil::store
