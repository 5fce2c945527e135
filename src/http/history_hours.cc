#include "http/history_hours.h"

#include <algorithm>

#include "spdlog/spdlog.h"

namespace vigil::http {

HourCounts DayHours::Of(const std::string& txn) const {
  auto it = codes.find(txn);
  return it == codes.end() ? HourCounts{} : it->second;
}

std::shared_ptr<const DayHours> HistoryHours::Day(store::Store& store, LocalDay day, LocalDay today) {
  {
    std::lock_guard lock(mu_);
    if (auto it = days_.find(day); it != days_.end()) return it->second;
  }
  // Read outside the lock: a first look at a day decodes every code's minutes.
  auto loaded = store.LoadHistory(day, day);
  if (!loaded.ok()) {
    spdlog::warn("hourly counts: reading the history of day {} failed: {}", day, loaded.status().ToString());
    return nullptr;
  }
  std::shared_ptr<DayHours> hours;
  if (!loaded->empty()) {
    hours = std::make_shared<DayHours>();
    for (const HistoryDay::Code& code : loaded->front().codes) {
      HourCounts& counts = hours->codes[code.txn];
      // Minutes past 23:59 (a 25-hour day at a DST change) count in the last hour.
      for (const auto& [minute, n] : code.minutes) counts[static_cast<size_t>(std::clamp(minute / 60, 0, 23))] += n;
    }
  }
  if (!hours && day >= today - 1) return nullptr;  // may still be written: look again next time
  std::lock_guard lock(mu_);
  if (days_.size() >= kMaxDays) days_.erase(days_.begin());  // the oldest day
  days_[day] = hours;
  return hours;
}

}  // namespace vigil::http
