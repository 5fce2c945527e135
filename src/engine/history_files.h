// Day aggregates on disk for `vigil replay --history DIR` (read) and `--write-history DIR`
// (written as each day closes): one JSON Lines file per day, DIR/YYYY-MM-DD.jsonl:
//   {"day":"2026-11-19","txn":"A001","minutes":[[480,12],[481,15]]}   minute of the day, records
//   {"day":"2026-11-19","recon":"UNIONPAY","mismatch_count":5,"mismatch_amount":1200.5}
// Any system that keeps per-minute counts by transaction code can produce these files.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/calendar.h"
#include "engine/engine.h"

namespace vigil {

// Reads every *.jsonl file of `dir`, in name order. Errors name the file and line.
absl::Status ReadHistoryDir(const std::string& dir, std::vector<HistoryDay>* days);

class HistoryDirWriter : public HistorySink {
 public:
  HistoryDirWriter(std::string dir, const Calendar& calendar) : dir_(std::move(dir)), calendar_(calendar) {}
  void OnDayClosed(const HistoryDay& day) override;
  const absl::Status& status() const { return status_; }
  int days_written() const { return days_written_; }

 private:
  std::string dir_;
  const Calendar& calendar_;
  absl::Status status_;
  int days_written_ = 0;
};

}  // namespace vigil
