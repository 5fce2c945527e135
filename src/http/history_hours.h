// Hourly record counts of every code on past days, from the stored day history (the
// aggregates the engine writes when a day closes, or `--history` loaded at start), for the
// console's 交易量环比 (GET /api/v1/codes/{txn}/hourly).
//
// A closed day never changes, so each day is read from the store once and kept (24 counts per
// code: 480 KB a day for 5,000 codes; at most kMaxDays days). A day without data is
// remembered as such only once it is two days old: yesterday's aggregates are written when
// its last minute is evaluated, possibly after a first look.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "common/calendar.h"
#include "store/store.h"

namespace vigil::http {

using HourCounts = std::array<uint32_t, 24>;

struct DayHours {
  absl::flat_hash_map<std::string, HourCounts> codes;
  // The code's counts (zeros when it had no records that day).
  HourCounts Of(const std::string& txn) const;
};

class HistoryHours {
 public:
  static constexpr size_t kMaxDays = 64;

  // The day's hourly counts, or nullptr when the store holds no data for it. `today` is the
  // server's current day (what may still be written).
  std::shared_ptr<const DayHours> Day(store::Store& store, LocalDay day, LocalDay today);

 private:
  std::mutex mu_;
  std::map<LocalDay, std::shared_ptr<const DayHours>> days_;  // nullptr: no data that day
};

}  // namespace vigil::http
