// What the API and console show about recent traffic, kept beside the engine: per code and
// minute the volume, failures by class and latency percentiles for the last 24 hours, and
// rings of the most recent records (all codes, and per code).
//
// Written by the engine thread (Add, CloseMinutesBefore), read by HTTP threads: every public
// method takes the one mutex. Memory: per active code-hour one chunk of 60 minute points
// (1.4 KB), per code 16 recent records and a 1 KB histogram of the open minutes; the global
// ring holds the last 20,000 records (~4 MB).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/config.h"
#include "engine/ret_classifier.h"
#include "ingest/record.h"
#include "serve/loaded_config.h"

namespace vigil::serve {

struct MinutePoint {
  TimeMs minute = 0;
  uint32_t count = 0;
  uint32_t system_failures = 0;    // records whose ret is of class system
  uint32_t business_failures = 0;  // ... of class business
  uint32_t timeouts = 0;           // duration above the code's timeout_ms
  float p50 = -1, p95 = -1, p99 = -1;  // latency percentiles in ms; -1: no durations
};

// A record as kept in the recent rings (strings truncated to fit one fixed slot).
struct RecentRecord {
  TimeMs time = 0;
  TimeMs ts = 0;
  double duration_ms = -1;
  RetClass cls = RetClass::kSuccess;
  std::string txn, ret, sys, svc_sys, svc_ret, node, serial, msg;
};

struct RecentFilter {
  std::string txn, node, ret, svc_sys, sys;  // empty: any
  TimeMs after = INT64_MIN;                  // only records with time > after
  int limit = 200;
};

// One row of the transaction success-rate table over a window of minutes.
struct CodeSummary {
  std::string txn;
  int64_t count = 0, system_failures = 0, business_failures = 0, timeouts = 0;
  float p95 = -1;
  TimeMs last_seen = INT64_MIN;
};

class Series {
 public:
  Series();
  ~Series();

  // Forgets everything and takes a new configuration (on rebuild).
  void Reset(std::shared_ptr<const LoadedConfig> config);
  // An accepted record.
  void Add(const RecordView& r);
  // Minutes before `minute` are final: their latency percentiles are computed.
  void CloseMinutesBefore(TimeMs minute);

  std::vector<MinutePoint> Minutes(std::string_view txn, TimeMs from, TimeMs to) const;
  std::vector<CodeSummary> Summaries(TimeMs from, TimeMs to) const;
  std::vector<RecentRecord> Recent(const RecentFilter& filter) const;
  std::vector<std::string> Codes() const;

 private:
  struct Slot;
  struct Code;
  Code* Find(std::string_view txn);
  Code* FindOrAdd(std::string_view txn);

  mutable std::mutex mu_;
  std::shared_ptr<const LoadedConfig> config_;
  std::unique_ptr<RetClassifier> classifier_;
  absl::flat_hash_map<std::string, std::unique_ptr<Code>> codes_;
  std::vector<Slot> ring_;
  size_t ring_next_ = 0;
  uint64_t ring_count_ = 0;
};

}  // namespace vigil::serve
