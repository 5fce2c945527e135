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
#include <string>
#include <vector>

#include "common/calendar.h"
#include "common/config.h"
#include "engine/alert.h"
#include "ingest/record.h"

namespace vigil {

struct EngineOptions {
  int max_abnormal_records = 100;  // records carried by an abnormal_count alert
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

  // Applies one record. Hot path: no allocation for codes and return codes already seen.
  AddResult Add(const RecordView& record);

  // Evaluates, in order, every minute t not evaluated yet with t <= watermark.
  void AdvanceTo(TimeMs watermark);

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
