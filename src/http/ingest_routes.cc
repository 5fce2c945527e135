// POST /api/v1/records: a JSON Lines or CSV body, optionally gzip, from a production system.
//
// The body is inflated under a limit and parsed here, on the HTTP worker (so parsing runs on
// every core); the accepted records go to the engine's queue as one batch with the body as
// received for the journal. The answer waits until the batch is journaled and synced: 200 means
// the records survive a crash. A full queue answers 429 at once (nothing was taken).
#include <condition_variable>
#include <mutex>

#include "fmt/format.h"
#include "http/http_util.h"
#include "http/routes.h"
#include "ingest/body_decode.h"
#include "ingest/record_batch.h"
#include "serve/journal.h"

namespace vigil::http {
namespace {

// Rejects records too far ahead of the server's clock (reason future_time) before they are
// journaled; the rest is RecordBatchBuilder.
class IngestBuilder : public RecordBatchBuilder {
 public:
  explicit IngestBuilder(TimeMs max_time) : max_time_(max_time) {}
  void OnRecord(const RecordView& r, int64_t line) override {
    if (r.time > max_time_) {
      ParseError e{RejectReason::kFutureTime, "ts",
                   "more than max_future_skew ahead of the server's clock"};
      OnReject(e, line);
      return;
    }
    RecordBatchBuilder::OnRecord(r, line);
  }

 private:
  TimeMs max_time_;
};

// What an HTTP worker keeps of its inflate buffer between bodies (a 10,000-record body is
// about 2.5 MB inflated).
constexpr size_t kKeptInflateBytes = 16 << 20;

struct Ack {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::string error;
};

InputFormat FormatOf(const httplib::Request& req) {
  std::string type = req.get_header_value("Content-Type");
  if (type.find("csv") != std::string::npos) return InputFormat::kCsv;
  if (type.find("json") != std::string::npos) return InputFormat::kJsonLines;
  return InputFormat::kAuto;
}

Json Answer(int64_t accepted, const IngestBuilder& b) {
  Json j;
  j["accepted"] = accepted;
  j["rejected"] = b.rejects().total;
  Json reasons = Json::object();
  for (int i = 0; i < kRejectReasonCount; ++i) {
    if (b.rejects().by_reason[i] > 0) reasons[RejectReasonName(static_cast<RejectReason>(i))] = b.rejects().by_reason[i];
  }
  j["rejected_by_reason"] = reasons;
  j["errors"] = b.errors();
  return j;
}

void HandleRecords(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  HttpCounters& n = c.counters;
  ++n.ingest_requests;
  if (!RequireBearer(req, res, c.options.ingest_token, "missing or wrong ingest token")) {
    ++n.ingest_unauthorized;
    return;
  }
  serve::Runtime& rt = *c.services.runtime;
  if (!rt.ready()) return SendError(res, 503, "starting: the engine is rebuilding its state");
  const std::string encoding = req.get_header_value("X-Vigil-Content-Encoding");
  if (!encoding.empty() && encoding != "gzip" && encoding != "identity") {
    ++n.ingest_bad_body;
    return SendError(res, 415, fmt::format("Content-Encoding {} is not supported (gzip or none)", encoding));
  }
  const bool gzip = encoding == "gzip";
  // Inflated into this worker's buffer, reused body after body (the records are copied into
  // the batch before the next body); a buffer grown past kKeptInflateBytes is given back.
  thread_local std::string inflated;
  struct GiveBack {
    ~GiveBack() {
      if (inflated.size() > kKeptInflateBytes) std::string().swap(inflated);
    }
  } give_back;
  absl::StatusOr<std::string_view> text = DecodeBodyInto(req.body, gzip, c.options.max_inflated_bytes, &inflated);
  if (!text.ok()) {
    ++n.ingest_bad_body;
    return SendStatus(res, text.status());
  }
  n.ingest_bytes += static_cast<int64_t>(text->size());
  const auto config = rt.config();
  const TimeMs now = rt.clock().Now();
  IngestBuilder builder(now + config->config.max_future_skew_ms);
  ReaderOptions ro;
  ro.format = FormatOf(req);
  builder.ReserveFor(*text);
  ReadStats stats;
  ParseBuffer(*text, ro, &builder, &stats);
  RecordBatch batch = builder.TakeBatch();
  const int64_t accepted = static_cast<int64_t>(batch.size());
  n.ingest_rejected += builder.rejects().total;
  for (int i = 0; i < kRejectReasonCount; ++i) n.rejected_by_reason[i] += builder.rejects().by_reason[i];
  if (accepted == 0) return SendJson(res, Answer(0, builder));

  batch.source = "http";
  batch.received_at = now;
  batch.input_bytes = static_cast<int64_t>(req.body.size());
  batch.journal_payload = req.body;
  batch.journal_format = static_cast<uint8_t>(ro.format == InputFormat::kCsv         ? serve::FrameFormat::kCsv
                                              : ro.format == InputFormat::kJsonLines ? serve::FrameFormat::kJsonLines
                                                                                     : serve::FrameFormat::kAuto);
  batch.journal_flags = gzip ? 1 : 0;
  auto ack = std::make_shared<Ack>();
  batch.on_applied = [ack] {
    std::lock_guard lock(ack->mu);
    ack->done = true;
    ack->cv.notify_all();
  };
  batch.on_failed = [ack](const std::string& error) {
    std::lock_guard lock(ack->mu);
    ack->done = true;
    ack->error = error.empty() ? "journal failure" : error;
    ack->cv.notify_all();
  };
  if (!rt.queue().TryPush(std::move(batch))) {
    ++n.ingest_throttled;
    res.set_header("Retry-After", "1");
    return SendError(res, 429, "the ingest queue is full; retry the same body later");
  }
  std::unique_lock lock(ack->mu);
  if (!ack->cv.wait_for(lock, std::chrono::seconds(c.options.ack_timeout_s), [&] { return ack->done; })) {
    return SendError(res, 503, "the records were queued but not yet journaled; retrying may duplicate them");
  }
  if (!ack->error.empty()) return SendError(res, 503, fmt::format("not stored: {}", ack->error));
  n.ingest_records += accepted;
  SendJson(res, Answer(accepted, builder));
}

}  // namespace

void AddIngestRoutes(httplib::Server& s, const RouteContext& c) {
  s.Post("/api/v1/records", [c](const httplib::Request& req, httplib::Response& res) { HandleRecords(c, req, res); });
}

}  // namespace vigil::http
