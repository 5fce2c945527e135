#include "serve/journal_codec.h"

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
  if (!batch.journal_payload.empty()) {
    *format = static_cast<FrameFormat>(batch.journal_format);
    *flags = batch.journal_flags;
    return batch.journal_payload;
  }
  *format = FrameFormat::kJsonLines;
  *flags = 0;
  std::string out;
  out.reserve(batch.size() * 160);
  for (const RecordView& r : batch.records()) AppendRecordJson(r, &out);
  return out;
}

void DecodeFrame(const JournalFrame& frame, size_t max_bytes,
                 const std::function<void(const RecordView&)>& apply) {
  std::string inflated;
  std::string_view text = frame.payload;
  if (frame.flags & kFrameGzip) {
    auto body = DecodeBody(frame.payload, true, max_bytes);
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
