#include "engine/day_history.h"

#include <algorithm>

namespace vigil {

DaySpan DayIndex::Compute(LocalDay day) const {
  DaySpan s;
  s.day = day;
  s.first_minute = MinuteOf(calendar_.At(day, 0));
  s.end_minute = MinuteOf(calendar_.At(day + 1, 0));
  s.type = calendar_.TypeOf(day);
  return s;
}

int64_t DayCounts::Chunk::Prefix(size_t i) const {
  if (i == 0) return 0;
  if (i <= finalized) return counts[i - 1];
  int64_t total = finalized == 0 ? 0 : counts[finalized - 1];
  for (size_t k = finalized; k < i; ++k) total += counts[k];
  return total;
}

void DayCounts::Finalize(int64_t minute) {
  // Newest first: once a chunk is found complete, every older one is complete too.
  for (auto it = chunks_.rbegin(); it != chunks_.rend(); ++it) {
    Chunk& c = *it;
    if (c.finalized == c.counts.size()) break;
    int64_t upto = std::min<int64_t>(minute - c.first_minute, static_cast<int64_t>(c.counts.size()));
    for (; static_cast<int64_t>(c.finalized) < upto; ++c.finalized) {
      if (c.finalized > 0) c.counts[c.finalized] += c.counts[c.finalized - 1];
    }
  }
}

std::vector<std::pair<int, uint32_t>> DayCounts::Export(LocalDay day) const {
  std::vector<std::pair<int, uint32_t>> out;
  for (const Chunk& c : chunks_) {
    if (c.day != day) continue;
    for (size_t i = 0; i < c.counts.size(); ++i) {
      int64_t n = c.Count(i);
      if (n > 0) out.emplace_back(static_cast<int>(i), static_cast<uint32_t>(n));
    }
  }
  return out;
}

void DayCounts::Import(const DaySpan& span, const std::vector<std::pair<int, uint32_t>>& minutes) {
  Chunk* c = FindOrCreate(span);
  // Back to raw counts, add, and let Finalize rebuild the running totals.
  for (size_t i = c->finalized; i-- > 1;) c->counts[i] -= c->counts[i - 1];
  c->finalized = 0;
  for (const auto& [minute, n] : minutes) {
    if (minute >= 0 && static_cast<size_t>(minute) < c->counts.size()) c->counts[minute] += n;
  }
}

int64_t DayCounts::DayTotal(LocalDay day) const {
  for (const Chunk& c : chunks_) {
    if (c.day == day) return c.Prefix(c.counts.size());
  }
  return 0;
}

int64_t DayCounts::Sum(int64_t from, int64_t to) const {
  int64_t total = 0;
  for (const Chunk& c : chunks_) {
    int64_t end = c.first_minute + static_cast<int64_t>(c.counts.size());
    int64_t a = std::max(from, c.first_minute), b = std::min(to, end);
    if (a >= b) continue;
    total += c.Prefix(static_cast<size_t>(b - c.first_minute)) - c.Prefix(static_cast<size_t>(a - c.first_minute));
  }
  return total;
}

void DayCounts::Prune(const absl::flat_hash_set<LocalDay>& keep) {
  chunks_.erase(std::remove_if(chunks_.begin(), chunks_.end(),
                               [&](const Chunk& c) { return !keep.contains(c.day); }),
                chunks_.end());
  current_day_ = INT64_MIN, current_ = nullptr;
}

size_t DayCounts::bytes() const {
  size_t n = chunks_.capacity() * sizeof(Chunk);
  for (const Chunk& c : chunks_) n += c.counts.capacity() * sizeof(uint32_t);
  return n;
}

DayCounts::Chunk* DayCounts::FindOrCreate(const DaySpan& span) {
  auto it = std::lower_bound(chunks_.begin(), chunks_.end(), span.day,
                             [](const Chunk& c, LocalDay d) { return c.day < d; });
  if (it == chunks_.end() || it->day != span.day) {
    Chunk c{span.day, span.first_minute,
            std::vector<uint32_t>(static_cast<size_t>(span.end_minute - span.first_minute), 0)};
    it = chunks_.insert(it, std::move(c));
    current_day_ = INT64_MIN, current_ = nullptr;
  }
  return &*it;
}

std::vector<LocalDay> DayCatalog::Previous(LocalDay day, DayType type, int count,
                                           const Calendar& cal) const {
  std::vector<LocalDay> out;
  for (auto it = days_.lower_bound(day); it != days_.begin() && static_cast<int>(out.size()) < count;) {
    --it;
    if (cal.TypeOf(*it) == type) out.push_back(*it);
  }
  return out;
}

}  // namespace vigil
