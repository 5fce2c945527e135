// Turning batches into journal payloads and journal frames back into records.
//
// HTTP bodies are journaled as received (gzip stays gzip); batches of other sources (TCP,
// file tail, Kafka) are written as JSON Lines rebuilt from their records, which parse back to
// the same records. ts is written as epoch milliseconds, so nothing depends on a time zone.
//
// A batch with a resume point (RecordBatch::resume_key, the file tail's offset after it) has
// it in front of the records, flag kFrameResume: [key length u32][key][value length u32][value]
// (little-endian), then the records as above. The resume point is not compressed.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "ingest/record.h"
#include "ingest/record_batch.h"
#include "serve/journal.h"

namespace vigil::serve {

// Appends `r` as one JSON line (with the newline) to `out`.
void AppendRecordJson(const RecordView& r, std::string* out);

// The payload to journal for `batch` (its journal_payload, else its records as JSON Lines).
std::string JournalPayload(const RecordBatch& batch, FrameFormat* format, uint8_t* flags);

struct ResumePoint {
  std::string key;    // OffsetStore key, e.g. "tail:/var/log/pay.jsonl"
  std::string value;  // the source's saved offset after the frame's records
};

// The resume point a frame carries, if any (nullopt also for a malformed prefix).
std::optional<ResumePoint> FrameResumePoint(const JournalFrame& frame);

// Decodes a frame and calls `apply` with each record it holds, in order (rejected lines, if
// any, are skipped: they were rejected when received too). `max_bytes` bounds inflation.
void DecodeFrame(const JournalFrame& frame, size_t max_bytes,
                 const std::function<void(const RecordView&)>& apply);

}  // namespace vigil::serve
