// Traffic: the success-rate table of every code (交易成功率), one code's minute series with its
// baseline band, and the stream of recent records (实时交易明细).
#include <algorithm>
#include <map>
#include <mutex>

#include "fmt/format.h"
#include "http/firing_index.h"
#include "http/http_util.h"
#include "http/routes.h"

namespace vigil::http {
namespace {

constexpr int64_t kMinute = 60'000;

void Codes(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  TimeMs from, to;
  if (auto s = QueryRange(c, req, 15, &from, &to); !s.ok()) return SendStatus(res, s);
  int64_t spark_minutes = 0;
  if (auto s = IntParam(req, "spark_minutes", 0, 120, 30, &spark_minutes); !s.ok()) return SendStatus(res, s);
  const auto config = c.services.runtime->config();
  const FiringIndex firing = FiringIndex::Build(c.services.alerting, config->config);
  Json rows = Json::array();
  for (serve::CodeSummary& s : c.services.runtime->series().Summaries(from, to, static_cast<int>(spark_minutes))) {
    auto alerts = firing.by_txn.find(s.txn);
    const FiringCount fc = alerts == firing.by_txn.end() ? FiringCount{} : alerts->second;
    Json j;
    j["txn"] = s.txn;
    const TxnCodeConfig* tc = config->config.FindCode(s.txn);
    j["name"] = tc ? tc->name : "";
    j["sys"] = tc ? tc->sys : "";
    j["svc_sys"] = tc ? tc->svc_sys : "";
    j["configured"] = tc != nullptr;
    j["count"] = s.count;
    j["system_success"] = Rate(s.count - s.system_failures, s.count);
    j["business_success"] = Rate(s.count - s.system_failures - s.business_failures, s.count);
    j["timeouts"] = s.timeouts;
    j["p95_ms"] = s.p95 >= 0 ? Json(s.p95) : Json(nullptr);
    j["last_seen_ms"] = s.last_seen == INT64_MIN ? Json(nullptr) : Json(s.last_seen);
    j["firing_alerts"] = fc.firing;
    j["severity"] = fc.WorstJson();
    if (spark_minutes > 0) j["spark"] = std::move(s.spark);
    rows.push_back(std::move(j));
  }
  SendJson(res, Json{{"from_ms", from}, {"to_ms", to}, {"codes", rows}});
}

// Per-minute baseline of one code: the median of the same minute over the previous same-type
// days with data (the volume_ratio rule's days), from the stored history. Past days never
// change, so each (code, day) is read once and cached.
class BaselineCache {
 public:
  std::vector<std::optional<double>> Baseline(const RouteContext& c, const std::string& txn, TimeMs from,
                                              TimeMs to) {
    const auto config = c.services.runtime->config();
    const Calendar& cal = config->calendar;
    const CodeParams p = config->config.ResolveParams(txn);
    const LocalDay day = cal.DayOf(from);
    const DayType type = cal.TypeOf(day);
    std::vector<const std::vector<uint32_t>*> days;
    for (LocalDay d = day - 1; d >= day - 35 && static_cast<int>(days.size()) < p.baseline_days; --d) {
      if (cal.TypeOf(d) != type) continue;
      if (const auto* counts = Day(c, txn, d)) days.push_back(counts);
    }
    std::vector<std::optional<double>> out;
    for (TimeMs t = from; t < to; t += kMinute) {
      if (days.empty()) {
        out.push_back(std::nullopt);
        continue;
      }
      const int64_t minute_of_day = (t - cal.At(cal.DayOf(t), 0)) / kMinute;
      std::vector<double> values;
      for (const auto* counts : days) values.push_back(minute_of_day < static_cast<int64_t>(counts->size()) ? (*counts)[minute_of_day] : 0);
      std::sort(values.begin(), values.end());
      const size_t n = values.size();
      out.push_back(n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2);
    }
    return out;
  }

 private:
  // The code's per-minute counts on `day`, or nullptr when nothing was recorded that day.
  const std::vector<uint32_t>* Day(const RouteContext& c, const std::string& txn, LocalDay day) {
    std::lock_guard lock(mu_);
    auto key = std::make_pair(txn, day);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second ? &*it->second : nullptr;
    auto loaded = c.services.runtime->store().LoadHistory(day, day);
    std::optional<std::vector<uint32_t>> counts;
    if (loaded.ok() && !loaded->empty()) {
      counts.emplace(1500, 0);  // up to 25 hours (DST days)
      for (const auto& code : loaded->front().codes) {
        if (code.txn != txn) continue;
        for (const auto& [m, n] : code.minutes) {
          if (m >= 0 && m < 1500) (*counts)[static_cast<size_t>(m)] = n;
        }
      }
    }
    if (cache_.size() > 20'000) cache_.clear();
    auto& slot = cache_[key];
    slot = std::move(counts);
    return slot ? &*slot : nullptr;
  }

  std::mutex mu_;
  std::map<std::pair<std::string, LocalDay>, std::optional<std::vector<uint32_t>>> cache_;
};

void Series(const RouteContext& c, BaselineCache& baselines, const httplib::Request& req, httplib::Response& res) {
  const std::string txn = req.matches[1];
  TimeMs from, to;
  if (auto s = QueryRange(c, req, 60, &from, &to); !s.ok()) return SendStatus(res, s);
  from = from / kMinute * kMinute;
  auto points = c.services.runtime->series().Minutes(txn, from, to);
  auto base = baselines.Baseline(c, txn, from, from + static_cast<int64_t>(points.size()) * kMinute);
  const auto config = c.services.runtime->config();
  const CodeParams p = config->config.ResolveParams(txn);
  Json rows = Json::array();
  for (size_t i = 0; i < points.size(); ++i) {
    const serve::MinutePoint& m = points[i];
    Json j;
    j["minute_ms"] = m.minute;
    j["count"] = m.count;
    j["system_success"] = Rate(m.count - m.system_failures, m.count);
    j["business_success"] = Rate(m.count - m.system_failures - m.business_failures, m.count);
    j["timeouts"] = m.timeouts;
    j["p50_ms"] = m.p50 >= 0 ? Json(m.p50) : Json(nullptr);
    j["p95_ms"] = m.p95 >= 0 ? Json(m.p95) : Json(nullptr);
    j["p99_ms"] = m.p99 >= 0 ? Json(m.p99) : Json(nullptr);
    if (i < base.size() && base[i]) {
      j["baseline"] = *base[i];
      j["baseline_low"] = *base[i] * p.ratio_bounds.first;
      j["baseline_high"] = *base[i] * p.ratio_bounds.second;
    } else {
      j["baseline"] = nullptr;
    }
    rows.push_back(std::move(j));
  }
  const TxnCodeConfig* tc = config->config.FindCode(txn);
  Json params;
  params["window_ms"] = p.window_ms;
  params["min_count"] = p.min_count;
  params["system_success_min"] = p.system_success_min;
  params["business_success_min"] = p.business_success_min ? Json(*p.business_success_min) : Json(nullptr);
  params["timeout_ms"] = p.timeout_ms;
  params["ratio_bounds"] = {p.ratio_bounds.first, p.ratio_bounds.second};
  params["baseline_days"] = p.baseline_days;
  params["severity"] = p.severity;
  Json off = Json::array();
  for (int r = 0; r < kRuleCount; ++r) {
    if (p.off[static_cast<size_t>(r)]) off.push_back(RuleName(static_cast<Rule>(r)));
  }
  params["off"] = off;
  SendJson(res, Json{{"txn", txn},
                     {"name", tc ? tc->name : ""},
                     {"sys", tc ? tc->sys : ""},
                     {"svc_sys", tc ? tc->svc_sys : ""},
                     {"params", params},
                     {"minutes", rows}});
}

void Recent(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  serve::RecentFilter f;
  f.txn = req.get_param_value("txn");
  f.node = req.get_param_value("node");
  f.ret = req.get_param_value("ret");
  f.svc_sys = req.get_param_value("svc_sys");
  f.sys = req.get_param_value("sys");
  int64_t limit = 0;
  std::optional<TimeMs> after;
  absl::Status s = IntParam(req, "limit", 1, 5000, 200, &limit);
  if (s.ok()) s = TimeParam(req, "after", &after);
  if (!s.ok()) return SendStatus(res, s);
  f.limit = static_cast<int>(limit);
  if (after) f.after = *after;
  const auto config = c.services.runtime->config();
  Json rows = Json::array();
  for (const serve::RecentRecord& r : c.services.runtime->series().Recent(f)) rows.push_back(RecentRecordJson(r, config->tz));
  SendJson(res, Json{{"records", rows}});
}

}  // namespace

absl::Status QueryRange(const RouteContext& c, const httplib::Request& req, int64_t default_minutes,
                        TimeMs* from, TimeMs* to) {
  std::optional<TimeMs> f, t;
  if (auto s = TimeParam(req, "from", &f); !s.ok()) return s;
  if (auto s = TimeParam(req, "to", &t); !s.ok()) return s;
  const TimeMs now = c.services.runtime->clock().Now();
  *to = t.value_or((now / kMinute + 1) * kMinute);
  *from = f.value_or(*to - default_minutes * kMinute);
  if (*from >= *to) return absl::InvalidArgumentError("from must be before to");
  if (*to - *from > 24 * 60 * kMinute) return absl::InvalidArgumentError("the range is limited to 24 hours");
  return absl::OkStatus();
}

Json Rate(int64_t good, int64_t total) { return total > 0 ? Json(static_cast<double>(good) / total) : Json(nullptr); }

Json RecentRecordJson(const serve::RecentRecord& r, const absl::TimeZone& tz) {
  return Json{{"time", FormatRfc3339(r.time, tz, true)},
              {"time_ms", r.time},
              {"txn", r.txn},
              {"ret", r.ret},
              {"class", RetClassName(r.cls)},
              {"dur_ms", r.duration_ms >= 0 ? Json(r.duration_ms) : Json(nullptr)},
              {"sys", r.sys},
              {"svc_sys", r.svc_sys},
              {"svc_ret", r.svc_ret},
              {"node", r.node},
              {"serial", r.serial},
              {"msg", r.msg}};
}

void AddTrafficRoutes(httplib::Server& s, const RouteContext& c) {
  auto baselines = std::make_shared<BaselineCache>();
  s.Get("/api/v1/codes", [c](const auto& req, auto& res) { Codes(c, req, res); });
  s.Get(R"(/api/v1/codes/([^/]{1,128})/series)", [c, baselines](const auto& req, auto& res) { Series(c, *baselines, req, res); });
  s.Get("/api/v1/records/recent", [c](const auto& req, auto& res) { Recent(c, req, res); });
}

}  // namespace vigil::http
