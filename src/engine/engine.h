// The monitoring engine: records in, alert events out (the contract's sections 4 and 5).
//
// Pure: it never reads the clock and does no I/O. Records come in through Add(); minutes are
// evaluated by AdvanceTo(watermark), which replay drives from the records' own times (event
// time) and `vigil serve` from a clock. Events go to the AlertSink given at construction, in
// the contract's order (by minute, then rule name, then key as written).
//
// Thread safety: none; one engine is driven by one thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/calendar.h"
#include "common/config.h"
#include "engine/alert.h"
#include "ingest/record.h"

namespace vigil {

// The aggregates of one whole day that later baselines need: per-minute volume of each code
// and each reconciliation check's result. Replay writes them (--write-history) and reads them
// back (--history), so baselines can come from days that are not in the input.
struct HistoryDay {
  LocalDay day = 0;
  struct Code {
    std::string txn;
    std::vector<std::pair<int, uint32_t>> minutes;  // (minute of the day, records), nonzero only
  };
  struct Recon {
    std::string check;
    std::optional<double> mismatch_count, mismatch_amount;
  };
  std::vector<Code> codes;
  std::vector<Recon> recon;
};

class HistorySink {
 public:
  virtual ~HistorySink() = default;
  // A day is closed when its last minute has been evaluated: nothing can change it any more.
  virtual void OnDayClosed(const HistoryDay& day) = 0;
};

struct EngineOptions {
  int max_abnormal_records = 100;  // records carried by an abnormal_count alert
  HistorySink* history_sink = nullptr;
  // volume_ratio is judged only once its window lies wholly at or after the first evaluated
  // minute. For `serve`, which may start mid-day with stored history: the hour before it
  // started was never seen, and comparing it with full baseline days would report a collapse.
  // Replay leaves it off and follows the contract literally.
  bool ratio_needs_full_window = false;
};

enum class AddResult : uint8_t {
  kAccepted,
  kLate,    // its time is before a minute already evaluated: counted, not used
  kFuture,  // more than max_future_skew ahead of the clock (reject reason future_time)
};

struct EngineStats {
  int64_t accepted = 0;
  int64_t late = 0;
  int64_t future = 0;
  int64_t minutes_evaluated = 0;
  int64_t code_evaluations = 0;  // (code, minute) pairs that could not be skipped
  std::array<int64_t, kRuleCount> fired{};
  std::array<int64_t, kRuleCount> resolved{};
};

struct UnclassifiedRet {
  std::string txn;
  std::string ret;
  int64_t count = 0;
};

struct MemoryUse {
  int64_t codes = 0;
  int64_t history_days = 0;  // retained code-days of per-minute volume
  int64_t history_bytes = 0;
};

class Engine {
 public:
  // `config`, `calendar` and `sink` must outlive the engine.
  Engine(const Config& config, const Calendar& calendar, AlertSink* sink,
         EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Adds the aggregates of an earlier day, as if its records had been read. Call before the
  // first record.
  void ImportHistory(const HistoryDay& day);

  // Applies one record. Hot path: no allocation for codes and return codes already seen.
  AddResult Add(const RecordView& record);

  // A hint that `record` will be added soon: starts loading the state Add() will touch for it.
  // Changes nothing; a reader that parses one record ahead calls it for the next record.
  void Prefetch(const RecordView& record) const;

  // Evaluates, in order, every minute t not evaluated yet with t <= watermark.
  void AdvanceTo(TimeMs watermark);

  // At the end of the input: hands the days not closed yet to the history sink, as far as the
  // input went (replay --write-history).
  void CloseRemainingDays();

  // The event-time watermark: the largest accepted record time minus allowed_lateness
  // (INT64_MIN before the first record).
  TimeMs RecordWatermark() const;
  // The largest time of the accepted, on-time records (INT64_MIN before the first).
  TimeMs max_time() const;
  // The first minute not yet evaluated (INT64_MIN before the first record).
  TimeMs next_minute() const;

  // For a live server: records more than max_future_skew ahead of `now` are rejected. Without
  // a clock (replay) the engine accepts every on-time record; replay applies the skew rule to
  // the input itself.
  void SetClock(TimeMs now);

  const EngineStats& stats() const;
  std::vector<UnclassifiedRet> Unclassified() const;   // by txn, then ret
  std::vector<std::string> UnconfiguredCodes() const;  // seen in records, not in txn_codes
  std::vector<std::string> UnconfiguredServiceSystems() const;
  MemoryUse Memory() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace vigil
