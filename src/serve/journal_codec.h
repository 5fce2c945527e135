// Turning batches into journal payloads and journal frames back into records.
//
// HTTP bodies are journaled as received (gzip stays gzip); batches of other sources (TCP,
// file tail, Kafka) are written as JSON Lines rebuilt from their records, which parse back to
// the same records. ts is written as epoch milliseconds, so nothing depends on a time zone.
#pragma once

#include <functional>
#include <string>

#include "ingest/record.h"
#include "ingest/record_batch.h"
#include "serve/journal.h"

namespace vigil::serve {

// Appends `r` as one JSON line (with the newline) to `out`.
void AppendRecordJson(const RecordView& r, std::string* out);

// The payload to journal for `batch` (its journal_payload, else its records as JSON Lines).
std::string JournalPayload(const RecordBatch& batch, FrameFormat* format, uint8_t* flags);

// Decodes a frame and calls `apply` with each record it holds, in order (rejected lines, if
// any, are skipped: they were rejected when received too). `max_bytes` bounds inflation.
void DecodeFrame(const JournalFrame& frame, size_t max_bytes,
                 const std::function<void(const RecordView&)>& apply);

}  // namespace vigil::serve
