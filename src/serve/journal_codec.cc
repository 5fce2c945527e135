#include "serve/journal_codec.h"

#include <cstring>

#include "fmt/format.h"
#include "ingest/body_decode.h"
#include "ingest/reader.h"
#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"

namespace vigil::serve {
namespace {

void AppendString(std::string* out, std::string_view key, std::string_view value, bool always) {
  if (value.empty() && !always) return;
  out->append(",\"").append(key).append("\":");
  out->append(nlohmann::json(std::string(value)).dump(-1, ' ', false,
                                                     nlohmann::json::error_handler_t::replace));
}

class ApplySink : public RecordSink {
 public:
  explicit ApplySink(const std::function<void(const RecordView&)>& apply) : apply_(apply) {}
  void OnRecord(const RecordView& r, int64_t) override { apply_(r); }
  void OnReject(const ParseError&, int64_t) override {}

 private:
  const std::function<void(const RecordView&)>& apply_;
};

void PutU32(std::string* out, size_t n) {
  const auto v = static_cast<uint32_t>(n);
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

// Reads one length-prefixed string at `*at` of `p`; false when it does not fit.
bool TakeString(std::string_view p, size_t* at, std::string_view* out) {
  uint32_t n = 0;
  if (p.size() - *at < sizeof n) return false;
  std::memcpy(&n, p.data() + *at, sizeof n);
  *at += sizeof n;
  if (p.size() - *at < n) return false;
  *out = p.substr(*at, n);
  *at += n;
  return true;
}

// Splits a kFrameResume payload into its resume point and its records; false if malformed.
bool SplitResume(std::string_view payload, std::string_view* key, std::string_view* value,
                 std::string_view* records) {
  size_t at = 0;
  if (!TakeString(payload, &at, key) || !TakeString(payload, &at, value)) return false;
  *records = payload.substr(at);
  return true;
}

}  // namespace

void AppendRecordJson(const RecordView& r, std::string* out) {
  out->append(fmt::format("{{\"ts\":{}", r.ts));
  if (r.has_end_ts) out->append(fmt::format(",\"end_ts\":{}", r.end_ts));
  if (r.duration_ms >= 0) out->append(fmt::format(",\"dur_ms\":{}", r.duration_ms));
  AppendString(out, "txn", r.txn, true);
  AppendString(out, "ret", r.ret, true);
  AppendString(out, "sys", r.sys, false);
  AppendString(out, "svc_sys", r.svc_sys, false);
  AppendString(out, "svc_ret", r.svc_ret, false);
  AppendString(out, "node", r.node, false);
  AppendString(out, "serial", r.serial, false);
  AppendString(out, "org", r.org, false);
  AppendString(out, "msg", r.msg, false);
  if (r.has_amount) out->append(fmt::format(",\"amount\":{}", r.amount));
  if (r.phase == Phase::kStart) out->append(",\"phase\":\"start\"");
  if (r.has_mismatch_count) out->append(fmt::format(",\"mismatch_count\":{}", r.mismatch_count));
  if (r.has_mismatch_amount) out->append(fmt::format(",\"mismatch_amount\":{}", r.mismatch_amount));
  out->append("}\n");
}

std::string JournalPayload(const RecordBatch& batch, FrameFormat* format, uint8_t* flags) {
  std::string out;
  *flags = 0;
  if (!batch.resume_key.empty()) {
    out.reserve(8 + batch.resume_key.size() + batch.resume_value.size());
    PutU32(&out, batch.resume_key.size());
    out += batch.resume_key;
    PutU32(&out, batch.resume_value.size());
    out += batch.resume_value;
    *flags |= kFrameResume;
  }
  if (!batch.journal_payload.empty()) {
    *format = static_cast<FrameFormat>(batch.journal_format);
    *flags |= batch.journal_flags;
    // An HTTP body (the common case) carries no resume point: returned without another copy.
    if (out.empty()) return batch.journal_payload;
    return out + batch.journal_payload;
  }
  *format = FrameFormat::kJsonLines;
  out.reserve(out.size() + batch.size() * 160);
  for (const RecordView& r : batch.records()) AppendRecordJson(r, &out);
  return out;
}

std::optional<ResumePoint> FrameResumePoint(const JournalFrame& frame) {
  if (!(frame.flags & kFrameResume)) return std::nullopt;
  std::string_view key, value, records;
  if (!SplitResume(frame.payload, &key, &value, &records)) return std::nullopt;
  return ResumePoint{std::string(key), std::string(value)};
}

void DecodeFrame(const JournalFrame& frame, size_t max_bytes,
                 const std::function<void(const RecordView&)>& apply) {
  std::string inflated;
  std::string_view text = frame.payload;
  if (frame.flags & kFrameResume) {
    std::string_view key, value;
    if (!SplitResume(frame.payload, &key, &value, &text)) {
      spdlog::error("journal frame {}: malformed resume point", frame.seq);
      return;
    }
  }
  if (frame.flags & kFrameGzip) {
    auto body = DecodeBody(text, true, max_bytes);
    if (!body.ok()) {
      spdlog::error("journal frame {}: {}", frame.seq, std::string(body.status().message()));
      return;
    }
    inflated = std::move(*body);
    text = inflated;
  }
  ReaderOptions options;
  options.format = frame.format == FrameFormat::kCsv         ? InputFormat::kCsv
                   : frame.format == FrameFormat::kJsonLines ? InputFormat::kJsonLines
                                                             : InputFormat::kAuto;
  ApplySink sink(apply);
  ReadStats stats;
  ParseBuffer(text, options, &sink, &stats);
}

}  // namespace vigil::serve
