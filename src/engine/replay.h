// `vigil replay` (the contract's section 6): run the live engine over recorded input in event
// time and write every alert event, in order, as JSON Lines.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "common/calendar.h"
#include "common/config.h"
#include "engine/engine.h"
#include "ingest/reader.h"

namespace vigil {

struct ReplayOptions {
  std::vector<std::string> inputs;  // files, "-" for stdin
  std::optional<TimeMs> until;      // evaluate up to this minute; default: last whole minute
                                    // at or before the largest record time
  int reported_rejections = 10;     // the first N rejections are listed with file and line
  bool progress = true;             // progress lines on stderr for long inputs
  std::string history_dir;          // aggregates of earlier days, for baselines
  std::string write_history_dir;    // write each closed day's aggregates here
};

struct ReplayResult {
  int exit_code = 0;  // 0 ran; 2 unreadable input (after writing what could be read)
  int64_t records = 0;
  int64_t rejected = 0;
  int64_t alerts = 0;
  double seconds = 0;
};

// Writes each event as one JSON line to `out` (the replay's standard output format).
class JsonLinesAlertWriter : public AlertSink {
 public:
  JsonLinesAlertWriter(std::FILE* out, const absl::TimeZone& tz) : out_(out), tz_(tz) {}
  void OnAlert(const AlertEvent& e) override;

 private:
  std::FILE* out_;
  absl::TimeZone tz_;
};

// Reads every input in order as one stream, hands alert events to `sink` and writes the summary
// to `err`. The same input and config give the same events in the same order.
ReplayResult RunReplay(const Config& config, const Calendar& calendar, const ReplayOptions& options,
                       AlertSink* sink, std::FILE* err);

}  // namespace vigil
