// Traffic: the success-rate table of every code (交易成功率), one code's minute series with its
// baseline band, and the stream of recent records (实时交易明细).
#include <algorithm>

#include "fmt/format.h"
#include "http/firing_index.h"
#include "http/history_days.h"
#include "http/json_text.h"
#include "http/http_util.h"
#include "http/routes.h"

namespace vigil::http {
namespace {

constexpr int64_t kMinute = 60'000;

void RateText(JsonText& out, int64_t good, int64_t total) {
  if (total > 0) {
    out.Double(static_cast<double>(good) / static_cast<double>(total));
  } else {
    out.Null();
  }
}

// One row of the codes table (written as text: 5,000 rows, see json_text.h).
void CodeRow(JsonText& out, const serve::CodeSummary& s, const TxnCodeConfig* tc, const FiringCount& fc, bool spark) {
  out.BeginObject();
  out.Key("txn").String(s.txn);
  out.Key("name").String(tc ? tc->name : "");
  out.Key("sys").String(tc ? tc->sys : "");
  out.Key("svc_sys").String(tc ? tc->svc_sys : "");
  out.Key("configured").Bool(tc != nullptr);
  out.Key("count").Int(s.count);
  RateText(out.Key("system_success"), s.count - s.system_failures, s.count);
  RateText(out.Key("business_success"), s.count - s.system_failures - s.business_failures, s.count);
  out.Key("timeouts").Int(s.timeouts);
  if (s.p95 >= 0) {
    out.Key("p95_ms").Double(s.p95);
  } else {
    out.Key("p95_ms").Null();
  }
  if (s.last_seen == INT64_MIN) {
    out.Key("last_seen_ms").Null();
  } else {
    out.Key("last_seen_ms").Int(s.last_seen);
  }
  out.Key("firing_alerts").Int(fc.firing);
  if (fc.worst.empty()) {
    out.Key("severity").Null();
  } else {
    out.Key("severity").String(fc.worst);
  }
  if (spark) {
    out.Key("spark").BeginArray();
    for (uint32_t n : s.spark) out.Int(n);
    out.EndArray();
  }
  out.EndObject();
}

void Codes(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  TimeMs from, to;
  if (auto s = QueryRange(c, req, 15, &from, &to); !s.ok()) return SendStatus(res, s);
  int64_t spark_minutes = 0;
  if (auto s = IntParam(req, "spark_minutes", 0, 120, 30, &spark_minutes); !s.ok()) return SendStatus(res, s);
  const auto config = c.services.runtime->config();
  const FiringIndex firing = FiringIndex::Build(c.services.alerting, config->config);
  const std::vector<serve::CodeSummary> codes = c.services.runtime->series().Summaries(from, to, static_cast<int>(spark_minutes));
  JsonText out;
  // now_ms: the minute holding it (the sparks' last, by default) is still open.
  out.BeginObject().Key("now_ms").Int(c.services.runtime->clock().Now()).Key("from_ms").Int(from).Key("to_ms").Int(to);
  out.Key("codes").BeginArray();
  for (const serve::CodeSummary& s : codes) {
    auto alerts = firing.by_txn.find(s.txn);
    CodeRow(out, s, config->config.FindCode(s.txn), alerts == firing.by_txn.end() ? FiringCount{} : alerts->second,
            spark_minutes > 0);
  }
  out.EndArray().EndObject();
  SendJsonText(req, res, out.Take());
}

// Per-minute baseline of one code: the median of the same minute over the previous same-type
// days with data (the volume_ratio rule's days), from the stored history (read once per day
// for every code: HistoryDays).
std::vector<std::optional<double>> Baseline(const RouteContext& c, HistoryDays& history, const std::string& txn,
                                            TimeMs from, TimeMs to) {
  const auto config = c.services.runtime->config();
  const Calendar& cal = config->calendar;
  const CodeParams p = config->config.ResolveParams(txn);
  const LocalDay day = cal.DayOf(from);
  const LocalDay today = cal.DayOf(c.services.runtime->clock().Now());
  const DayType type = cal.TypeOf(day);
  std::vector<std::shared_ptr<const StoredDay>> days;
  for (LocalDay d = day - 1; d >= day - 35 && static_cast<int>(days.size()) < p.baseline_days; --d) {
    if (cal.TypeOf(d) != type) continue;
    if (auto stored = history.Day(c.services.runtime->store(), d, today)) days.push_back(std::move(stored));
  }
  std::vector<std::optional<double>> out;
  std::vector<double> values;
  for (TimeMs t = from; t < to; t += kMinute) {
    if (days.empty()) {
      out.push_back(std::nullopt);
      continue;
    }
    const int64_t minute_of_day = (t - cal.At(cal.DayOf(t), 0)) / kMinute;
    values.clear();
    for (const auto& stored : days) values.push_back(stored->At(txn, minute_of_day));
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    out.push_back(n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2);
  }
  return out;
}

void Series(const RouteContext& c, HistoryDays& history, const httplib::Request& req, httplib::Response& res) {
  const std::string txn = req.matches[1];
  if (auto s = KnownCode(c, txn); !s.ok()) return SendStatus(res, s);
  TimeMs from, to;
  if (auto s = QueryRange(c, req, 60, &from, &to); !s.ok()) return SendStatus(res, s);
  from = from / kMinute * kMinute;
  auto points = c.services.runtime->series().Minutes(txn, from, to);
  auto base = Baseline(c, history, txn, from, from + static_cast<int64_t>(points.size()) * kMinute);
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
  // now_ms: the minute holding it is still open (its counts incomplete), so charts can say so.
  SendJson(res, Json{{"txn", txn},
                     {"now_ms", c.services.runtime->clock().Now()},
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

absl::Status KnownCode(const RouteContext& c, const std::string& txn) {
  if (c.services.runtime->config()->config.FindCode(txn)) return absl::OkStatus();
  const std::vector<std::string> seen = c.services.runtime->series().Codes();  // sorted
  if (std::binary_search(seen.begin(), seen.end(), txn)) return absl::OkStatus();
  return absl::NotFoundError(
      fmt::format("no transaction code '{}': it is not in the configuration and no records of it arrived", txn));
}

absl::Status QueryRange(const RouteContext& c, const httplib::Request& req, int64_t default_minutes,
                        TimeMs* from, TimeMs* to) {
  std::optional<TimeMs> f, t;
  if (auto s = TimeParam(req, "from", &f); !s.ok()) return s;
  if (auto s = TimeParam(req, "to", &t); !s.ok()) return s;
  // minutes: the window's length when `from` is not given, so a page asks for "the last 24
  // hours" without first learning the server's clock.
  int64_t minutes = 0;
  if (auto s = IntParam(req, "minutes", 1, 24 * 60, default_minutes, &minutes); !s.ok()) return s;
  const TimeMs now = c.services.runtime->clock().Now();
  *to = t.value_or((now / kMinute + 1) * kMinute);
  *from = f.value_or(*to - minutes * kMinute);
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
  std::shared_ptr<HistoryDays> history = HistoryDays::For(&c.services.runtime->store());
  s.Get("/api/v1/codes", [c](const auto& req, auto& res) { Codes(c, req, res); });
  s.Get(R"(/api/v1/codes/([^/]{1,128})/series)", [c, history](const auto& req, auto& res) { Series(c, *history, req, res); });
  s.Get("/api/v1/records/recent", [c](const auto& req, auto& res) { Recent(c, req, res); });
}

}  // namespace vigil::http
