#include "http/history_days.h"

#include <algorithm>

#include "spdlog/spdlog.h"

namespace vigil::http {

HourCounts StoredDay::Hours(const std::string& txn) const {
  HourCounts out{};
  auto it = codes.find(txn);
  if (it == codes.end()) return out;
  for (const auto& [minute, n] : it->second) out[std::min<size_t>(minute / 60, 23)] += n;
  return out;
}

uint32_t StoredDay::At(const std::string& txn, int64_t minute_of_day) const {
  auto it = codes.find(txn);
  if (it == codes.end() || minute_of_day < 0 || minute_of_day > UINT16_MAX) return 0;
  const auto& minutes = it->second;
  auto m = std::lower_bound(minutes.begin(), minutes.end(), std::make_pair(static_cast<uint16_t>(minute_of_day), uint32_t{0}));
  return m != minutes.end() && m->first == minute_of_day ? m->second : 0;
}

std::shared_ptr<const StoredDay> HistoryDays::Day(store::Store& store, LocalDay day, LocalDay today) {
  // A day being read already (a code page asks its series and its hourly volume at once, both
  // over the same days) is waited for, not read a second time.
  std::promise<std::shared_ptr<const StoredDay>> mine;
  std::shared_future<std::shared_ptr<const StoredDay>> theirs;
  {
    std::lock_guard lock(mu_);
    if (auto it = days_.find(day); it != days_.end()) return it->second;
    if (auto it = loading_.find(day); it != loading_.end()) {
      theirs = it->second;
    } else {
      loading_.emplace(day, mine.get_future().share());
    }
  }
  if (theirs.valid()) return theirs.get();
  // Read outside the lock: a first look at a day decodes every code's minutes.
  std::shared_ptr<const StoredDay> stored;
  try {
    stored = Load(store, day);
  } catch (...) {  // out of memory: those waiting see it too, the next caller reads again
    std::lock_guard lock(mu_);
    loading_.erase(day);
    mine.set_exception(std::current_exception());
    throw;
  }
  {
    std::lock_guard lock(mu_);
    loading_.erase(day);
    // A day without data may still be written (yesterday's, today's): looked at again next time.
    if (stored || day < today - 1) {
      if (days_.size() >= kMaxDays && !days_.contains(day)) days_.erase(days_.begin());  // the oldest day
      days_[day] = stored;
    }
  }
  mine.set_value(stored);
  return stored;
}

std::shared_ptr<const StoredDay> HistoryDays::Load(store::Store& store, LocalDay day) {
  auto loaded = store.LoadHistory(day, day);
  if (!loaded.ok()) {
    spdlog::warn("stored history: reading day {} failed: {}", day, loaded.status().ToString());
    return nullptr;
  }
  if (loaded->empty()) return nullptr;
  auto stored = std::make_shared<StoredDay>();
  for (HistoryDay::Code& code : loaded->front().codes) {
    auto& minutes = stored->codes[code.txn];
    minutes.reserve(code.minutes.size());
    for (const auto& [m, n] : code.minutes) {
      if (m >= 0 && m <= UINT16_MAX) minutes.emplace_back(static_cast<uint16_t>(m), n);
    }
    std::sort(minutes.begin(), minutes.end());
  }
  return stored;
}

void HistoryDays::Warm(store::Store& store, const Calendar& cal, LocalDay today, int count,
                       const std::atomic<bool>& stop) {
  const int wanted = std::min(count, static_cast<int>(kMaxDays));
  const DayType type = cal.TypeOf(today);
  int read = 0;
  for (LocalDay d = today - 1; d >= today - 35 && read < wanted && !stop; --d) {
    if (cal.TypeOf(d) != type) continue;
    Day(store, d, today);
    ++read;
  }
}

std::shared_ptr<HistoryDays> HistoryDays::For(store::Store* store) {
  static std::mutex mu;
  static std::map<store::Store*, std::weak_ptr<HistoryDays>> caches;
  std::lock_guard lock(mu);
  std::weak_ptr<HistoryDays>& slot = caches[store];
  std::shared_ptr<HistoryDays> cache = slot.lock();
  if (!cache) {
    cache = std::make_shared<HistoryDays>();
    slot = cache;
  }
  return cache;
}

}  // namespace vigil::http
