// What the web console's pages read beyond the traffic routes (docs/console-api.md): the
// overview's tiles, the service systems, a code's hourly volume against its previous
// same-type days (交易量环比) and its failing return codes per minute.
#include <algorithm>
#include <set>

#include "absl/time/civil_time.h"
#include "fmt/format.h"
#include "http/firing_index.h"
#include "http/history_days.h"
#include "http/routes.h"

namespace vigil::http {
namespace {

constexpr int64_t kMinute = 60'000;
constexpr int kRecentDays = 35;  // how far back same-type days are looked for (as the series' baseline)

// The configured ids first (sorted), then the others seen, sorted.
std::vector<std::string> ConfiguredThenSeen(const std::set<std::string>& configured, const std::set<std::string>& seen) {
  std::vector<std::string> out(configured.begin(), configured.end());
  for (const std::string& s : seen) {
    if (!configured.contains(s)) out.push_back(s);
  }
  return out;
}

Json IngestJson(const RouteContext& c, TimeMs now) {
  serve::Runtime& rt = *c.services.runtime;
  const serve::RuntimeStats st = rt.stats();
  int64_t rejected = st.future;
  for (const auto& n : c.counters.rejected_by_reason) rejected += n.load();
  const TimeMs end = (now / kMinute + 1) * kMinute;
  Json per_minute = Json::array();
  for (const serve::MinutePoint& m : rt.series().TotalMinutes(end - 60 * kMinute, end)) {
    per_minute.push_back(Json{{"minute_ms", m.minute}, {"count", m.count}});
  }
  return Json{{"records_per_s", c.ingest_rate ? c.ingest_rate->PerSecond() : 0.0},
              {"records_total", st.records},
              {"rejected_total", rejected},
              {"queue_depth", rt.queue().depth().records},
              {"lag_ms", st.lag_ms},
              {"per_minute", std::move(per_minute)}};
}

Json AlertCountsJson(const FiringIndex& f) {
  auto of = [&](const char* s) {
    auto it = f.by_severity.find(s);
    return it == f.by_severity.end() ? 0 : it->second;
  };
  return Json{{"firing", f.firing}, {"critical", of("critical")}, {"warning", of("warning")},
              {"info", of("info")}, {"suppressed", f.suppressed}};
}

// One tile per requesting system: the codes configured for it, and unconfigured codes by the
// system of their latest record.
Json SystemTiles(const Config& config, const std::vector<serve::CodeSummary>& codes, const FiringIndex& firing) {
  struct Sum { int64_t count = 0, system = 0, business = 0; };
  std::map<std::string, Sum> sums;
  std::set<std::string> configured, seen;
  for (const auto& [txn, tc] : config.txn_codes) {
    if (!tc.sys.empty()) configured.insert(tc.sys);
  }
  for (const serve::CodeSummary& s : codes) {
    const TxnCodeConfig* tc = config.FindCode(s.txn);
    const std::string& sys = tc && !tc->sys.empty() ? tc->sys : s.sys;
    if (sys.empty()) continue;
    seen.insert(sys);
    Sum& sum = sums[sys];
    sum.count += s.count;
    sum.system += s.system_failures;
    sum.business += s.business_failures;
  }
  Json tiles = Json::array();
  for (const std::string& sys : ConfiguredThenSeen(configured, seen)) {
    const Sum sum = sums[sys];
    auto f = firing.by_sys.find(sys);
    const FiringCount fc = f == firing.by_sys.end() ? FiringCount{} : f->second;
    // The configuration names no requesting systems: the id is the title.
    tiles.push_back(Json{{"name", sys}, {"kind", "sys"}, {"title", sys}, {"configured", configured.contains(sys)},
                         {"count", sum.count}, {"system_success", Rate(sum.count - sum.system, sum.count)},
                         {"business_success", Rate(sum.count - sum.system - sum.business, sum.count)},
                         {"firing", fc.firing}, {"worst_severity", fc.WorstJson()}});
  }
  return tiles;
}

std::set<std::string> ConfiguredServices(const Config& config) {
  std::set<std::string> out;
  for (const auto& [id, s] : config.service_systems) out.insert(id);
  return out;
}

Json ServiceTiles(const Config& config, const std::vector<serve::ServiceSummary>& services, const FiringIndex& firing) {
  std::map<std::string, const serve::ServiceSummary*> by_id;
  std::set<std::string> seen;
  for (const auto& s : services) {
    by_id[s.svc_sys] = &s;
    seen.insert(s.svc_sys);
  }
  Json tiles = Json::array();
  for (const std::string& id : ConfiguredThenSeen(ConfiguredServices(config), seen)) {
    const serve::ServiceSummary* s = by_id.contains(id) ? by_id[id] : nullptr;
    const int64_t count = s ? s->count : 0, failures = s ? s->failures : 0;
    auto conf = config.service_systems.find(id);
    auto f = firing.by_svc_sys.find(id);
    const FiringCount fc = f == firing.by_svc_sys.end() ? FiringCount{} : f->second;
    tiles.push_back(Json{{"name", id}, {"kind", "svc_sys"},
                         {"title", conf != config.service_systems.end() && !conf->second.name.empty() ? conf->second.name : id},
                         {"configured", conf != config.service_systems.end()}, {"count", count},
                         {"success", Rate(count - failures, count)}, {"firing", fc.firing},
                         {"worst_severity", fc.WorstJson()}});
  }
  return tiles;
}

void Overview(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  TimeMs from, to;
  if (auto s = QueryRange(c, req, 15, &from, &to); !s.ok()) return SendStatus(res, s);
  serve::Runtime& rt = *c.services.runtime;
  const TimeMs now = rt.clock().Now();
  const auto config = rt.config();
  const FiringIndex firing = FiringIndex::Build(c.services.alerting, config->config);
  SendJson(res, Json{{"now_ms", now},
                     {"from_ms", from},
                     {"to_ms", to},
                     {"ingest", IngestJson(c, now)},
                     {"alerts", AlertCountsJson(firing)},
                     {"systems", SystemTiles(config->config, rt.series().Summaries(from, to), firing)},
                     {"services", ServiceTiles(config->config, rt.series().Services(from, to), firing)}});
}

Json ServiceMinutesJson(const serve::ServiceSummary* s, TimeMs from, TimeMs to) {
  Json minutes = Json::array();
  if (s) {
    for (const serve::ServiceMinute& m : s->minutes) {
      minutes.push_back(Json{{"minute_ms", m.minute}, {"count", m.count}, {"failures", m.failures}});
    }
    return minutes;
  }
  for (TimeMs t = from / kMinute * kMinute; t < to; t += kMinute) {
    minutes.push_back(Json{{"minute_ms", t}, {"count", 0}, {"failures", 0}});
  }
  return minutes;
}

// GET /api/v1/services: every configured service system (traffic or not), then the others
// records named, each with its codes and minutes.
void ServiceSystems(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  TimeMs from, to;
  if (auto s = QueryRange(c, req, 15, &from, &to); !s.ok()) return SendStatus(res, s);
  serve::Runtime& rt = *c.services.runtime;
  const auto config = rt.config();
  const Config& cfg = config->config;
  const FiringIndex firing = FiringIndex::Build(c.services.alerting, cfg);
  const std::vector<serve::ServiceSummary> services = rt.series().Services(from, to);
  std::map<std::string, const serve::ServiceSummary*> by_id;
  std::set<std::string> seen;
  for (const auto& s : services) {
    by_id[s.svc_sys] = &s;
    seen.insert(s.svc_sys);
  }
  Json rows = Json::array();
  for (const std::string& id : ConfiguredThenSeen(ConfiguredServices(cfg), seen)) {
    const serve::ServiceSummary* s = by_id.contains(id) ? by_id[id] : nullptr;
    auto conf = cfg.service_systems.find(id);
    const bool configured = conf != cfg.service_systems.end();
    Json codes = Json::array();
    if (s) {
      for (const auto& [txn, cf] : s->codes) {
        const TxnCodeConfig* tc = cfg.FindCode(txn);
        codes.push_back(Json{{"txn", txn}, {"name", tc ? tc->name : ""}, {"count", cf.first},
                             {"failures", cf.second}, {"success", Rate(cf.first - cf.second, cf.first)}});
      }
    }
    // The minimum the service_success rule holds the service system to.
    const double success_min = configured ? conf->second.service_success_min.value_or(cfg.DefaultServiceSuccessMin())
                                          : cfg.DefaultServiceSuccessMin();
    const int64_t count = s ? s->count : 0, failures = s ? s->failures : 0;
    auto f = firing.by_svc_sys.find(id);
    rows.push_back(Json{{"svc_sys", id},
                        {"name", configured ? conf->second.name : ""},
                        {"configured", configured},
                        {"count", count},
                        {"failures", failures},
                        {"success", Rate(count - failures, count)},
                        {"success_min", success_min},
                        {"firing", f == firing.by_svc_sys.end() ? 0 : f->second.firing},
                        {"codes", std::move(codes)},
                        {"minutes", ServiceMinutesJson(s, from, to)}});
  }
  SendJson(res, Json{{"from_ms", from}, {"to_ms", to}, {"services", std::move(rows)}});
}


absl::Status DayParam(const httplib::Request& req, LocalDay* day) {
  if (!req.has_param("date")) return absl::OkStatus();
  const std::string v = req.get_param_value("date");
  absl::CivilDay d;
  if (v.size() != 10 || !absl::ParseCivilTime(v, &d)) {
    return absl::InvalidArgumentError(fmt::format("query parameter date: '{}' is not a date (YYYY-MM-DD)", v));
  }
  *day = Calendar::ToLocalDay(d);
  return absl::OkStatus();
}

// The code's hourly counts on `day`, null for hours not begun by `now`: a past day from the
// stored history when it is there, else (today) from the live series.
Json DayCountsSoFar(const RouteContext& c, HistoryDays& history, const std::string& txn, LocalDay day,
                    LocalDay today, TimeMs now) {
  serve::Runtime& rt = *c.services.runtime;
  const Calendar& cal = rt.config()->calendar;
  std::array<int64_t, 24> counts{};
  std::shared_ptr<const StoredDay> stored = day < today ? history.Day(rt.store(), day, today) : nullptr;
  if (stored) {
    const HourCounts h = stored->Hours(txn);
    std::copy(h.begin(), h.end(), counts.begin());
  } else {
    const TimeMs begin = cal.At(day, 0), end = std::min(cal.At(day + 1, 0), (now / kMinute + 1) * kMinute);
    if (begin < end) {
      for (const serve::MinutePoint& m : rt.series().Minutes(txn, begin, end)) {
        counts[static_cast<size_t>(std::clamp(cal.MinuteOfDay(m.minute) / 60, 0, 23))] += m.count;
      }
    }
  }
  Json out = Json::array();
  for (int h = 0; h < 24; ++h) out.push_back(cal.At(day, h * 60) > now ? Json(nullptr) : Json(counts[static_cast<size_t>(h)]));
  return out;
}

// The median of each hour over `days` (the mean of the middle two for an even number).
Json HourlyMedian(const std::vector<HourCounts>& days) {
  Json out = Json::array();
  for (size_t h = 0; h < 24; ++h) {
    if (days.empty()) {
      out.push_back(nullptr);
      continue;
    }
    std::vector<uint32_t> v;
    for (const HourCounts& d : days) v.push_back(d[h]);
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    out.push_back(n % 2 ? static_cast<double>(v[n / 2]) : (static_cast<double>(v[n / 2 - 1]) + v[n / 2]) / 2);
  }
  return out;
}

// GET /api/v1/codes/{txn}/hourly?date: the day's hourly volume against the same hours of the
// previous same-type days with data (the volume_ratio rule's days), from the stored history.
void Hourly(const RouteContext& c, HistoryDays& history, const httplib::Request& req, httplib::Response& res) {
  const std::string txn = req.matches[1];
  if (auto s = KnownCode(c, txn); !s.ok()) return SendStatus(res, s);
  serve::Runtime& rt = *c.services.runtime;
  const auto config = rt.config();
  const Calendar& cal = config->calendar;
  const TimeMs now = rt.clock().Now();
  const LocalDay today = cal.DayOf(now);
  LocalDay day = today;
  if (auto s = DayParam(req, &day); !s.ok()) return SendStatus(res, s);
  const DayType type = cal.TypeOf(day);
  const int baseline_days = config->config.ResolveParams(txn).baseline_days;
  std::vector<HourCounts> previous;
  Json days = Json::array();
  for (LocalDay d = day - 1; d >= day - kRecentDays && static_cast<int>(previous.size()) < baseline_days; --d) {
    if (cal.TypeOf(d) != type) continue;
    std::shared_ptr<const StoredDay> stored = history.Day(rt.store(), d, today);
    if (!stored) continue;
    previous.push_back(stored->Hours(txn));
    days.push_back(Json{{"date", cal.FormatDay(d)}, {"counts", previous.back()}});
  }
  SendJson(res, Json{{"txn", txn},
                     {"date", cal.FormatDay(day)},
                     {"day_type", DayTypeName(type)},
                     {"today", DayCountsSoFar(c, history, txn, day, today, now)},
                     {"days", std::move(days)},
                     {"median", HourlyMedian(previous)}});
}

// GET /api/v1/codes/{txn}/returns?from&to: the failing return codes over the window and per
// minute (at most 12 named, the rest as "other"; Series keeps them that way).
void Returns(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  const std::string txn = req.matches[1];
  if (auto s = KnownCode(c, txn); !s.ok()) return SendStatus(res, s);
  TimeMs from, to;
  if (auto s = QueryRange(c, req, 60, &from, &to); !s.ok()) return SendStatus(res, s);
  from = from / kMinute * kMinute;
  const serve::ReturnBreakdown b = c.services.runtime->series().Returns(txn, from, to);
  Json totals = Json::array();
  for (const auto& [ret, cls, count] : b.totals) {
    totals.push_back(Json{{"ret", ret}, {"class", RetClassName(cls)}, {"count", count}});
  }
  Json minutes = Json::array();
  for (const serve::ReturnMinute& m : b.minutes) {
    Json by_ret = Json::object();
    for (const auto& [ret, n] : m.failing) by_ret[ret] = n;
    minutes.push_back(Json{{"minute_ms", m.minute}, {"success", m.success}, {"by_ret", std::move(by_ret)}});
  }
  if (b.minutes.empty()) {  // a code without records: the window's minutes, empty
    for (TimeMs t = from; t < to; t += kMinute) minutes.push_back(Json{{"minute_ms", t}, {"success", 0}, {"by_ret", Json::object()}});
  }
  SendJson(res, Json{{"txn", txn}, {"from_ms", from}, {"to_ms", to}, {"returns", std::move(totals)}, {"minutes", std::move(minutes)}});
}

}  // namespace

void AddConsoleRoutes(httplib::Server& s, const RouteContext& c) {
  std::shared_ptr<HistoryDays> history = HistoryDays::For(&c.services.runtime->store());
  s.Get("/api/v1/overview", [c](const auto& req, auto& res) { Overview(c, req, res); });
  s.Get("/api/v1/services", [c](const auto& req, auto& res) { ServiceSystems(c, req, res); });
  s.Get(R"(/api/v1/codes/([^/]{1,128})/hourly)", [c, history](const auto& req, auto& res) { Hourly(c, *history, req, res); });
  s.Get(R"(/api/v1/codes/([^/]{1,128})/returns)", [c](const auto& req, auto& res) { Returns(c, req, res); });
}

}  // namespace vigil::http
