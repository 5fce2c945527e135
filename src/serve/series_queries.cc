// Series: the queries of the API and the console (windows of minutes over the 24-hour rings).
#include <algorithm>
#include <numeric>

#include "common/strings.h"
#include "serve/series.h"
#include "serve/series_code.h"

namespace vigil::serve {

using namespace series_internal;

namespace {

constexpr size_t kShownRets = 12;  // failing return codes named in a breakdown

struct Window {
  int64_t first, last;  // minutes, inclusive
  bool empty() const { return last < first; }
  size_t size() const { return empty() ? 0 : static_cast<size_t>(last - first + 1); }
};

Window WindowOf(TimeMs from, TimeMs to) {
  const int64_t first = MinuteOf(from);
  return Window{first, std::min(MinuteOf(to - 1), first + kDayMinutes - 1)};
}

MinutePoint PointOf(const Cell& c, int64_t minute) {
  return MinutePoint{MinuteStart(minute), c.count, c.system_failures, c.business_failures, c.timeouts,
                     PercentileValue(c.p50), PercentileValue(c.p95), PercentileValue(c.p99)};
}

Totals SumWindow(const Code& c, Window w) {
  Totals t;
  if (w.empty()) return t;
  auto cell = [&](const Hour& h, int m) { t.AddCell(h.cells[static_cast<size_t>(m)], h.hour * 60 + m); };
  ForWindow(
      c.hours, w.first, w.last,
      [&](const Hour& h) {
        if (h.sealed) {
          h.totals.AddTo(&t, h.hour);
        } else {
          for (int m = 0; m < 60; ++m) cell(h, m);
        }
      },
      cell);
  return t;
}

std::pair<int64_t, int64_t> SumCalls(const HourRing<SvcHour>& ring, Window w) {
  std::pair<int64_t, int64_t> sum{0, 0};
  if (w.empty()) return sum;
  ForWindow(ring, w.first, w.last, [&](const SvcHour& h) { sum.first += h.count, sum.second += h.failures; },
            [&](const SvcHour& h, int m) {
              sum.first += h.cells[static_cast<size_t>(m)].count;
              sum.second += h.cells[static_cast<size_t>(m)].failures;
            });
  return sum;
}

CodeSummary Summarize(const Code& c, Window w, int spark_minutes, int64_t spark_last) {
  CodeSummary s;
  s.txn = c.txn;
  s.sys = c.last_sys;
  const Totals t = SumWindow(c, w);
  s.count = t.count;
  s.system_failures = t.system_failures;
  s.business_failures = t.business_failures;
  s.timeouts = t.timeouts;
  if (t.p95_weight > 0) s.p95 = static_cast<float>(t.p95_sum / static_cast<double>(t.p95_weight));
  if (t.last_minute != INT64_MIN) s.last_seen = MinuteStart(t.last_minute);
  if (spark_minutes > 0) {
    s.spark.assign(static_cast<size_t>(spark_minutes), 0);
    const int64_t first = spark_last - spark_minutes + 1;
    for (int64_t h = HourOf(first); h <= HourOf(spark_last); ++h) {
      const Hour* hour = c.hours.Get(h);
      if (!hour) continue;
      for (int64_t m = std::max(first, h * 60); m <= std::min(spark_last, h * 60 + 59); ++m) {
        s.spark[static_cast<size_t>(m - first)] = hour->cells[static_cast<size_t>(m - h * 60)].count;
      }
    }
  }
  return s;
}

}  // namespace

std::vector<MinutePoint> Series::Minutes(std::string_view txn, TimeMs from, TimeMs to) const {
  std::lock_guard lock(mu_);
  std::vector<MinutePoint> out;
  const Code* c = Find(txn);
  if (!c) return out;
  const Window w = WindowOf(from, to);
  out.reserve(w.size());
  for (int64_t m = w.first; m <= w.last; ++m) {
    const Hour* h = c->hours.Get(HourOf(m));
    out.push_back(h ? PointOf(h->cells[static_cast<size_t>(MinuteInHour(m))], m) : MinutePoint{MinuteStart(m)});
  }
  return out;
}

std::vector<CodeSummary> Series::Summaries(TimeMs from, TimeMs to) const { return Summaries(from, to, 0); }

std::vector<CodeSummary> Series::Summaries(TimeMs from, TimeMs to, int spark_minutes) const {
  spark_minutes = std::clamp(spark_minutes, 0, kDayMinutes);
  std::lock_guard lock(mu_);
  std::vector<CodeSummary> out;
  out.reserve(codes_.size());
  const Window w = WindowOf(from, to);
  const int64_t spark_last = MinuteOf(to - 1);
  for (const auto& c : codes_) out.push_back(Summarize(*c, w, spark_minutes, spark_last));
  std::sort(out.begin(), out.end(), [](const CodeSummary& a, const CodeSummary& b) { return a.txn < b.txn; });
  return out;
}

ReturnBreakdown Series::Returns(std::string_view txn, TimeMs from, TimeMs to) const {
  std::lock_guard lock(mu_);
  ReturnBreakdown out;
  const Code* c = Find(txn);
  const Window w = WindowOf(from, to);
  if (!c || w.empty()) return out;
  // Counts per (minute of the window, ret index), and per ret index over the window.
  std::vector<uint32_t> counts(w.size() * kRetSlots, 0);
  std::array<uint64_t, kRetSlots> total{};
  for (int64_t hour = HourOf(w.first); hour <= HourOf(w.last); ++hour) {
    const Hour* h = c->hours.Get(hour);
    if (!h) continue;
    for (const FailEntry& e : h->fails) {
      const int64_t m = hour * 60 + e.minute;
      if (m < w.first || m > w.last) continue;
      counts[static_cast<size_t>(m - w.first) * kRetSlots + e.ret] += e.count;
      total[e.ret] += e.count;
    }
  }
  // The largest named rets keep their names; the others join "other" (slot kOtherBusiness
  // after the fold below, whatever their class).
  std::vector<int> named(c->fail_rets.size());
  std::iota(named.begin(), named.end(), 0);
  std::stable_sort(named.begin(), named.end(), [&](int a, int b) { return total[a] > total[b]; });
  std::erase_if(named, [&](int i) { return total[i] == 0; });
  std::array<bool, kRetSlots> shown{};
  if (named.size() > kShownRets) named.resize(kShownRets);
  for (int i : named) shown[i] = true;
  uint64_t other_system = total[kOtherSystem], other_business = total[kOtherBusiness];
  for (size_t i = 0; i < c->fail_rets.size(); ++i) {
    if (shown[i]) continue;
    (c->fail_rets[i].second == RetClass::kSystem ? other_system : other_business) += total[i];
  }
  for (int i : named) out.totals.emplace_back(c->fail_rets[static_cast<size_t>(i)].first, c->fail_rets[static_cast<size_t>(i)].second, total[i]);
  const uint64_t other = other_system + other_business;
  if (other > 0) {
    out.totals.emplace_back("other", other_system > other_business ? RetClass::kSystem : RetClass::kBusiness, other);
  }
  out.minutes.reserve(w.size());
  for (int64_t m = w.first; m <= w.last; ++m) {
    ReturnMinute rm{MinuteStart(m), 0, {}};
    if (const Hour* h = c->hours.Get(HourOf(m))) {
      const Cell& cell = h->cells[static_cast<size_t>(MinuteInHour(m))];
      rm.success = cell.count - cell.system_failures - cell.business_failures;
    }
    const uint32_t* row = &counts[static_cast<size_t>(m - w.first) * kRetSlots];
    uint32_t rest = 0;
    for (int i = 0; i < kRetSlots; ++i) rest += shown[i] ? 0 : row[i];
    for (int i : named) {
      if (row[i] > 0) rm.failing.emplace_back(c->fail_rets[static_cast<size_t>(i)].first, row[i]);
    }
    if (rest > 0) rm.failing.emplace_back("other", rest);
    out.minutes.push_back(std::move(rm));
  }
  return out;
}

std::vector<ServiceSummary> Series::Services(TimeMs from, TimeMs to) const {
  std::lock_guard lock(mu_);
  std::vector<ServiceSummary> out;
  const Window w = WindowOf(from, to);
  out.reserve(services_.size());
  for (const auto& s : services_) {
    ServiceSummary sum;
    sum.svc_sys = s->name;
    std::tie(sum.count, sum.failures) = SumCalls(s->all, w);
    for (const auto& [code, ring] : s->codes) {
      std::pair<int64_t, int64_t> calls;
      if (ring) {
        calls = SumCalls(*ring, w);
      } else {
        const Totals t = SumWindow(*code, w);
        calls = {t.svc_count, t.svc_failures};
      }
      if (calls.first > 0) sum.codes.emplace_back(code->txn, calls);
    }
    std::sort(sum.codes.begin(), sum.codes.end(), [](const auto& a, const auto& b) {
      return a.second.first != b.second.first ? a.second.first > b.second.first : a.first < b.first;
    });
    sum.minutes.reserve(w.size());
    for (int64_t m = w.first; m <= w.last; ++m) {
      const SvcHour* h = s->all.Get(HourOf(m));
      const SvcCount n = h ? h->cells[static_cast<size_t>(MinuteInHour(m))] : SvcCount{};
      sum.minutes.push_back(ServiceMinute{MinuteStart(m), n.count, n.failures});
    }
    out.push_back(std::move(sum));
  }
  std::sort(out.begin(), out.end(), [](const ServiceSummary& a, const ServiceSummary& b) { return a.svc_sys < b.svc_sys; });
  return out;
}

std::vector<MinutePoint> Series::TotalMinutes(TimeMs from, TimeMs to) const {
  std::lock_guard lock(mu_);
  std::vector<MinutePoint> out;
  const Window w = WindowOf(from, to);
  out.reserve(w.size());
  for (int64_t m = w.first; m <= w.last; ++m) {
    MinutePoint p{MinuteStart(m)};
    if (const TotalHour* h = totals_->Get(HourOf(m))) {
      const TotalHour::Counts& t = h->cells[static_cast<size_t>(MinuteInHour(m))];
      p.count = t.count;
      p.system_failures = t.system_failures;
      p.business_failures = t.business_failures;
      p.timeouts = t.timeouts;
    }
    out.push_back(p);
  }
  return out;
}

}  // namespace vigil::serve
