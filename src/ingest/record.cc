// Names of the rejection reasons, as summaries and metrics print them.
#include "ingest/record.h"

namespace vigil {

const char* RejectReasonName(RejectReason r) {
  switch (r) {
    case RejectReason::kInvalidJson: return "invalid_json";
    case RejectReason::kInvalidCsv: return "invalid_csv";
    case RejectReason::kInvalidUtf8: return "invalid_utf8";
    case RejectReason::kNotObject: return "not_object";
    case RejectReason::kMissingField: return "missing_field";
    case RejectReason::kWrongType: return "wrong_type";
    case RejectReason::kBadTime: return "bad_time";
    case RejectReason::kNoOffset: return "time_without_offset";
    case RejectReason::kBadTxn: return "bad_txn";
    case RejectReason::kNegativeDuration: return "negative_duration";
    case RejectReason::kBadPhase: return "bad_phase";
    case RejectReason::kFutureTime: return "future_time";
    case RejectReason::kLineTooLong: return "line_too_long";
  }
  return "unknown";
}

}  // namespace vigil
