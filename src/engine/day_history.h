// Volume history for baselines: per-minute record counts by local day, and which days had any
// accepted record (the contract's "previous same-type days on which any record was accepted").
//
// Memory is bounded by codes x retained days x minutes per day: the engine prunes every day
// that no future baseline can ask for (see Engine::PruneHistory).
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "common/calendar.h"

namespace vigil {

// A local day as a range of absolute epoch minutes.
struct DaySpan {
  LocalDay day = 0;
  int64_t first_minute = 0;
  int64_t end_minute = 0;  // exclusive; first_minute + 1440 except on DST change days
  DayType type = DayType::kWorkday;
  bool Contains(int64_t minute) const { return minute >= first_minute && minute < end_minute; }
};

// Finds the local day of a minute; remembers the last two days asked for, so the per-record
// path (records near midnight alternate between two days) needs no time-zone lookup.
class DayIndex {
 public:
  explicit DayIndex(const Calendar& calendar) : calendar_(calendar) {}
  const DaySpan& Of(int64_t minute) {
    if (recent_[0].Contains(minute)) return recent_[0];
    if (recent_[1].Contains(minute)) return recent_[1];
    recent_[1] = recent_[0];
    recent_[0] = Compute(calendar_.DayOf(MinuteStart(minute)));
    return recent_[0];
  }
  DaySpan Compute(LocalDay day) const;
  const Calendar& calendar() const { return calendar_; }

 private:
  const Calendar& calendar_;
  DaySpan recent_[2] = {{0, 1, 0, DayType::kWorkday}, {0, 1, 0, DayType::kWorkday}};  // empty
};

// Per-minute counts of one key over whole local days.
//
// Once a minute can no longer change (every minute before the evaluation cursor: a record for
// it would be late), its slot may be turned in place into the running total from the start of
// its day. So a window sum over final minutes costs two reads, not one add per minute. This is
// done lazily, just before a sum is needed, so codes nobody asks about cost nothing.
// Invariant: slots [0, finalized) hold running totals, slots [finalized, n) raw counts, and
// Add() only ever touches raw slots.
class DayCounts {
 public:
  void Add(int64_t minute, const DaySpan& span, uint32_t n = 1) {
    if (span.day != current_day_) UseForAdd(*FindOrCreate(span));
    current_[minute - current_first_] += n;
  }
  // The count slot of `minute` in the day added to last, or nullptr (a prefetch hint).
  const uint32_t* HintSlot(int64_t minute) const {
    const int64_t i = minute - current_first_;
    return current_ != nullptr && i >= 0 && i < current_len_ ? current_ + i : nullptr;
  }
  // Declares every minute before `minute` final.
  void Finalize(int64_t minute);
  // Sum of counts over minutes [from, to).
  int64_t Sum(int64_t from, int64_t to) const;
  // The nonzero per-minute counts of a held day, as (minute of the day, count).
  std::vector<std::pair<int, uint32_t>> Export(LocalDay day) const;
  // Adds per-minute counts for a whole day that is already final.
  void Import(const DaySpan& span, const std::vector<std::pair<int, uint32_t>>& minutes);
  // All the counts of one day (0 when it is not held).
  int64_t DayTotal(LocalDay day) const;
  // Drops every day not in `keep`.
  void Prune(const absl::flat_hash_set<LocalDay>& keep);
  size_t days() const { return chunks_.size(); }
  size_t bytes() const;

 private:
  struct Chunk {
    LocalDay day;
    int64_t first_minute;
    std::vector<uint32_t> counts;
    size_t finalized = 0;
    // Sum of slots [0, i) of this chunk.
    int64_t Prefix(size_t i) const;
    // The count of slot i alone.
    int64_t Count(size_t i) const {
      if (i >= finalized || i == 0) return counts[i];
      return static_cast<int64_t>(counts[i]) - counts[i - 1];
    }
  };
  Chunk* FindOrCreate(const DaySpan& span);
  void UseForAdd(Chunk& c) {
    current_day_ = c.day;
    current_ = c.counts.data();
    current_first_ = c.first_minute;
    current_len_ = static_cast<int64_t>(c.counts.size());
  }
  std::vector<Chunk> chunks_;  // few (the retained days), sorted by day
  // The counts of the day added to last: records come day after day, so Add() finds its slot
  // without a look-up or a load of the chunk. Reset whenever chunks are created or dropped.
  LocalDay current_day_ = INT64_MIN;
  uint32_t* current_ = nullptr;
  int64_t current_first_ = 0, current_len_ = 0;
};

// The local days on which any record was accepted.
class DayCatalog {
 public:
  void Mark(LocalDay day) {
    if (day != last_marked_) {
      days_.insert(day);
      last_marked_ = day;
    }
  }
  // Up to `count` days before `day` of type `type` that had records, newest first.
  std::vector<LocalDay> Previous(LocalDay day, DayType type, int count, const Calendar& cal) const;
  const std::set<LocalDay>& days() const { return days_; }
  void Forget(LocalDay before) { days_.erase(days_.begin(), days_.lower_bound(before)); }

 private:
  std::set<LocalDay> days_;
  LocalDay last_marked_ = INT64_MIN;
};

}  // namespace vigil
