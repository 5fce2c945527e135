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
  {
    std::lock_guard lock(mu_);
    if (auto it = days_.find(day); it != days_.end()) return it->second;
  }
  // Read outside the lock: a first look at a day decodes every code's minutes.
  auto loaded = store.LoadHistory(day, day);
  if (!loaded.ok()) {
    spdlog::warn("stored history: reading day {} failed: {}", day, loaded.status().ToString());
    return nullptr;
  }
  std::shared_ptr<StoredDay> stored;
  if (!loaded->empty()) {
    stored = std::make_shared<StoredDay>();
    for (HistoryDay::Code& code : loaded->front().codes) {
      auto& minutes = stored->codes[code.txn];
      minutes.reserve(code.minutes.size());
      for (const auto& [m, n] : code.minutes) {
        if (m >= 0 && m <= UINT16_MAX) minutes.emplace_back(static_cast<uint16_t>(m), n);
      }
      std::sort(minutes.begin(), minutes.end());
    }
  }
  if (!stored && day >= today - 1) return nullptr;  // may still be written: look again next time
  std::lock_guard lock(mu_);
  if (days_.size() >= kMaxDays && !days_.contains(day)) days_.erase(days_.begin());  // the oldest day
  days_[day] = stored;
  return stored;
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
