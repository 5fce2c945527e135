// Per-minute record counts of every code on past days, from the stored day history (the
// aggregates the engine writes when a day closes, or `--history` loaded at start): the
// baseline band of a code's minute series and the console's 交易量环比 (hourly) read them.
//
// A closed day never changes, so each day is read from the store once (one LoadHistory of
// the whole day) and kept as the store gives it: per code, its nonzero minutes. That is at
// most one pair per record of the day, and at most 1,440 per code (8 bytes each): about 6 MB
// for a day of 800,000 records, 58 MB for 5,000 codes busy every minute. At most kMaxDays
// days are kept (the oldest goes first). A day is read by one caller at a time; others asking
// for it meanwhile wait for that read. A day without data is remembered as such only once
// it is two days old: yesterday's aggregates are written when its last minute is evaluated,
// possibly after a first look.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/calendar.h"
#include "store/store.h"

namespace vigil::http {

using HourCounts = std::array<uint32_t, 24>;

struct StoredDay {
  // Per code, its nonzero minutes: (minute of the day, records), ascending.
  absl::flat_hash_map<std::string, std::vector<std::pair<uint16_t, uint32_t>>> codes;

  // The code's records per hour (zeros when it had none that day); minutes past 23:59 (a
  // 25-hour day at a DST change) count in the last hour.
  HourCounts Hours(const std::string& txn) const;
  // The code's records in one minute of the day.
  uint32_t At(const std::string& txn, int64_t minute_of_day) const;
};

class HistoryDays {
 public:
  static constexpr size_t kMaxDays = 8;

  // The day's counts, or nullptr when the store holds no data for it. `today` is the server's
  // current day (what may still be written).
  std::shared_ptr<const StoredDay> Day(store::Store& store, LocalDay day, LocalDay today);

  // Reads ahead the days a code page asks for first: the last `count` days (at most kMaxDays)
  // of `today`'s day type within five weeks, newest first, so the first visit after a start
  // does not wait for the store. Returns early once `stop` is set (checked between days).
  void Warm(store::Store& store, const Calendar& cal, LocalDay today, int count,
            const std::atomic<bool>& stop);

  // The one cache of `store`'s days, shared by every route that reads them.
  static std::shared_ptr<HistoryDays> For(store::Store* store);

 private:
  // The day from the store (nullptr: no data, or the read failed and was logged).
  static std::shared_ptr<const StoredDay> Load(store::Store& store, LocalDay day);

  std::mutex mu_;
  std::map<LocalDay, std::shared_ptr<const StoredDay>> days_;  // nullptr: no data that day
  // Days being read by one caller; others asking for them wait for its answer.
  std::map<LocalDay, std::shared_future<std::shared_ptr<const StoredDay>>> loading_;
};

}  // namespace vigil::http
