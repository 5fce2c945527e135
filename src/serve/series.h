// What the API and console show about recent traffic, kept beside the engine: per code and
// minute the volume, failures by class, timeouts, latency percentiles and the failing return
// codes for the last 24 hours; per service system and minute the calls and failures; the
// total of all codes per minute; and rings of the most recent records (all codes, and per code).
//
// "The last 24 hours" are 24 hour slots: a record of hour h replaces what a code held of hour
// h - 24; records older than what a slot holds are not counted.
//
// Written by the engine thread (AddBatch, CloseMinutesBefore), read by HTTP threads: every
// public method takes the one mutex (AddBatch once per batch). Memory, per code and hour with
// records: 60 minute cells of 32 bytes (1.9 KB, the calls to the code's first service system
// included); per other service system the code called, 60 (calls, failures) pairs (0.5 KB);
// 4 bytes per (minute, failing return code) pair present (typically a few hundred bytes; at
// most 60 x 18 x 4 = 4.3 KB). Per code besides: 1.1 KB of open-minute histograms, up to 16
// failing return-code names and 256 cached return classes, and for a quiet code the copies of
// its last 16 records that left the shared ring (3.8 KB). 5,000 codes busy all day: about
// 5,000 x 24 x 2.2 KB = 265 MB (bench/serve_bench_series.cc measures 285 MB resident). The
// shared ring holds the last 20,000 records (4.8 MB); the total of all codes 1,440 minutes.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/config.h"
#include "engine/code_index.h"
#include "engine/ret_classifier.h"
#include "ingest/record.h"
#include "serve/loaded_config.h"

namespace vigil::serve {

namespace series_internal {
struct Code;
struct Service;
struct Cell;
struct OpenQueue;
struct Slot;
struct TotalRing;
}  // namespace series_internal

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
  std::string sys;  // requesting system of the code's latest record (its sys, else the code's
                    // configured sys); empty if neither
  int64_t count = 0, system_failures = 0, business_failures = 0, timeouts = 0;
  // The mean of the window's minute p95s weighted by their records with a duration (exact
  // percentiles over a window would need every minute's histogram).
  float p95 = -1;
  TimeMs last_seen = INT64_MIN;  // start of the last minute with records in the window
  std::vector<uint32_t> spark;   // see Summaries(from, to, spark_minutes)
};

// One minute of a code's return codes: successes as one number, failing return codes by name.
struct ReturnMinute {
  TimeMs minute;
  uint32_t success;
  std::vector<std::pair<std::string, uint32_t>> failing;  // ret -> count, in `totals` order
};
struct ReturnBreakdown {
  // Failing return codes over the whole window, largest first: at most 12 named, the rest
  // summed as "other" (last; its class the larger of its system and business parts).
  std::vector<std::tuple<std::string, RetClass, uint64_t>> totals;
  std::vector<ReturnMinute> minutes;  // every minute of the window, oldest first
};

struct ServiceMinute {
  TimeMs minute;
  uint32_t count, failures;
};
// The calls to one service system (records naming it in svc_sys). A failure is a svc_ret
// outside the service system's `success` list, a missing svc_ret included; a service system
// not in the configuration has no success list, so all its calls count as failures.
struct ServiceSummary {
  std::string svc_sys;
  int64_t count = 0, failures = 0;
  // txn -> (count, failures) in the window, largest count first; codes without calls in the
  // window are left out.
  std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> codes;
  std::vector<ServiceMinute> minutes;  // every minute of the window, oldest first
};

class Series {
 public:
  using ReturnMinute = serve::ReturnMinute;
  using ReturnBreakdown = serve::ReturnBreakdown;
  using ServiceMinute = serve::ServiceMinute;
  using ServiceSummary = serve::ServiceSummary;

  Series();
  ~Series();

  // Forgets everything and takes a new configuration (on rebuild).
  void Reset(std::shared_ptr<const LoadedConfig> config);
  // The records of one batch the engine accepted: every record of `records` except those at
  // the indices `not_accepted` (ascending). Start-phase records are ignored.
  void AddBatch(std::span<const RecordView> records, std::span<const uint32_t> not_accepted = {});
  // One accepted record (AddBatch of one).
  void Add(const RecordView& r);
  // Minutes before `minute` are final: their latency percentiles are computed.
  void CloseMinutesBefore(TimeMs minute);

  // Queries take a window [from, to) of whole minutes: the minutes from MinuteOf(from) to
  // MinuteOf(to - 1), at most 24 hours of them (a longer window is cut at from + 24 h).

  // Every minute of the window for one code, oldest first (empty for an unknown code).
  std::vector<MinutePoint> Minutes(std::string_view txn, TimeMs from, TimeMs to) const;
  // Every code seen since Reset, by txn (codes without records in the window have count 0).
  std::vector<CodeSummary> Summaries(TimeMs from, TimeMs to) const;
  // As above, with `spark`: the counts of the last `spark_minutes` minutes up to `to` (the
  // minutes MinuteOf(to - 1) - spark_minutes + 1 .. MinuteOf(to - 1)), oldest first, whatever
  // `from` is. spark_minutes is capped at 1,440; 0 leaves spark empty.
  std::vector<CodeSummary> Summaries(TimeMs from, TimeMs to, int spark_minutes) const;
  // The failing return codes per minute of one code (empty for an unknown code). A code names
  // its first 16 distinct failing return codes; later ones are kept as "other".
  ReturnBreakdown Returns(std::string_view txn, TimeMs from, TimeMs to) const;
  // Every service system named by records since Reset (up to 256), by svc_sys.
  std::vector<ServiceSummary> Services(TimeMs from, TimeMs to) const;
  // All codes together, every minute of the window (percentiles -1: not kept for the total).
  std::vector<MinutePoint> TotalMinutes(TimeMs from, TimeMs to) const;

  std::vector<RecentRecord> Recent(const RecentFilter& filter) const;
  std::vector<std::string> Codes() const;

 private:
  using Code = series_internal::Code;
  using Service = series_internal::Service;
  using Slot = series_internal::Slot;

  // `c`: the record's code if known (null: looked up here).
  void AddLocked(const RecordView& r, Code* c);
  RetClass Classify(Code& c, const RecordView& r, uint8_t* fail_index);
  void AddService(Code& c, const RecordView& r, int64_t minute, series_internal::Cell& cell);
  void AddTotal(int64_t minute, RetClass cls, bool timeout);
  void AddRecent(Code& c, const RecordView& r, RetClass cls);
  void SealHoursBefore(int64_t hour);
  Code* Find(std::string_view txn);
  const Code* Find(std::string_view txn) const;
  Code* FindOrAdd(std::string_view txn);

  mutable std::mutex mu_;
  std::shared_ptr<const LoadedConfig> config_;
  std::unique_ptr<RetClassifier> classifier_;
  CodeIndex index_;                          // txn -> Code::id (the engine's compact table)
  std::vector<std::unique_ptr<Code>> codes_;  // by Code::id
  std::vector<std::unique_ptr<Service>> services_;
  absl::flat_hash_map<std::string, int> service_ids_;
  std::unique_ptr<series_internal::TotalRing> totals_;
  int64_t sealed_before_hour_ = INT64_MIN;  // hours before it were sealed (see Hour)
  std::unique_ptr<series_internal::OpenQueue> opens_;  // latency histograms not yet finished
  std::vector<Slot> ring_;   // record number % size
  std::vector<uint64_t> recent_counts_;  // by Code::id: its records so far (dense: no miss per record)
  std::vector<std::unique_ptr<std::array<Slot, 16>>> kept_;  // by Code::id: see AddRecent
  uint64_t ring_count_ = 0;  // records since Reset
};

}  // namespace vigil::serve
