// Operations endpoints: health and readiness, Prometheus metrics, the configuration in use and
// its reload, ingest statistics, the OpenAPI document, and (with --fake-clock) the test clock.
#include <filesystem>
#include <memory>
#include <mutex>

#include "fmt/format.h"
#include "http/http_util.h"
#include "http/json_text.h"
#include "http/routes.h"

namespace vigil::http {
namespace {

void Metric(std::string* out, const char* name, const char* type, const char* help, double v,
            const std::string& labels = "") {
  out->append(fmt::format("# HELP {} {}\n# TYPE {} {}\n{}{} {}\n", name, help, name, type, name,
                          labels.empty() ? "" : "{" + labels + "}", v));
}

std::string Metrics(const RouteContext& c) {
  serve::Runtime& rt = *c.services.runtime;
  const serve::RuntimeStats st = rt.stats();
  const HttpCounters& n = c.counters;
  std::string out;
  Metric(&out, "vigil_records_applied_total", "counter", "Records applied by the engine.", st.records);
  Metric(&out, "vigil_records_late_total", "counter", "Records older than a minute already evaluated (counted, not used).", st.late);
  out += "# HELP vigil_records_rejected_total Records rejected at ingest, by reason.\n# TYPE vigil_records_rejected_total counter\n";
  for (int i = 0; i < kRejectReasonCount; ++i) {
    int64_t v = n.rejected_by_reason[i].load();
    if (i == static_cast<int>(RejectReason::kFutureTime)) v += st.future;
    out += fmt::format("vigil_records_rejected_total{{reason=\"{}\"}} {}\n", RejectReasonName(static_cast<RejectReason>(i)), v);
  }
  Metric(&out, "vigil_ingest_requests_total", "counter", "POST /api/v1/records requests.", n.ingest_requests.load());
  Metric(&out, "vigil_ingest_throttled_total", "counter", "Requests answered 429 because the queue was full.", n.ingest_throttled.load());
  Metric(&out, "vigil_ingest_unauthorized_total", "counter", "Requests with a missing or wrong ingest token.", n.ingest_unauthorized.load());
  Metric(&out, "vigil_ingest_bad_body_total", "counter", "Bodies refused: bad gzip, too large, unsupported encoding.", n.ingest_bad_body.load());
  Metric(&out, "vigil_ingest_bytes_total", "counter", "Record bytes received (inflated).", n.ingest_bytes.load());
  const auto depth = rt.queue().depth();
  Metric(&out, "vigil_queue_depth_records", "gauge", "Records waiting for the engine.", static_cast<double>(depth.records));
  Metric(&out, "vigil_queue_capacity_records", "gauge", "Capacity of the ingest queue.", static_cast<double>(rt.queue().capacity()));
  Metric(&out, "vigil_evaluation_lag_seconds", "gauge", "How far minute evaluation is behind the clock.", st.lag_ms / 1000.0);
  if (st.checkpoint != INT64_MIN) {
    Metric(&out, "vigil_evaluation_checkpoint_timestamp_seconds", "gauge", "The last evaluated and committed minute.", st.checkpoint / 1000.0);
  }
  Metric(&out, "vigil_alert_events_total", "counter", "Alert events committed (firing and resolved).", st.events);
  const auto journal = rt.journal_stats();
  Metric(&out, "vigil_journal_bytes_total", "counter", "Bytes appended to the ingest journal.", static_cast<double>(journal.bytes));
  Metric(&out, "vigil_journal_syncs_total", "counter", "fdatasync calls of the journal (group commits).", static_cast<double>(journal.syncs));
  Metric(&out, "vigil_journal_errors_total", "counter", "Batches that could not be journaled (not applied, not acknowledged).", st.journal_errors);
  if (c.services.alerting) {
    const auto a = c.services.alerting->Stats();
    Metric(&out, "vigil_alerts_firing", "gauge", "Firing alerts.", a.firing);
    Metric(&out, "vigil_alerts_suppressed", "gauge", "Firing alerts muted by a silence or inhibition.", a.suppressed);
    Metric(&out, "vigil_notifications_enqueued_total", "counter", "Messages rendered into the outbox.", a.enqueued);
  }
  if (auto outbox = rt.store().Outbox(); outbox.ok()) {
    Metric(&out, "vigil_outbox_pending", "gauge", "Notifications waiting for delivery.", outbox->pending);
    Metric(&out, "vigil_outbox_delivered", "gauge", "Notifications delivered (kept in the outbox).", outbox->delivered);
    Metric(&out, "vigil_outbox_gave_up", "gauge", "Notifications given up after retrying.", outbox->gave_up);
  }
  if (c.services.extra_metrics) out += c.services.extra_metrics();
  return out;
}

// A code's resolved parameters under the contract's names. service_success_min is the one its
// (txn, svc_sys) alert uses: the code's own, else its service system's, else the default.
Json ParamsJson(const CodeParams& p, double service_success_min) {
  Json ret_ratio = Json::object();
  for (const auto& [ret, bounds] : p.ret_ratio) ret_ratio[ret] = {bounds.first, bounds.second};
  return Json{{"window_ms", p.window_ms},
              {"min_count", p.min_count},
              {"system_success_min", p.system_success_min},
              {"business_success_min", p.business_success_min ? Json(*p.business_success_min) : Json(nullptr)},
              {"ret_ratio", ret_ratio},
              {"service_success_min", service_success_min},
              {"monitor", PeriodsName(p.monitor)},
              {"per_node", p.per_node},
              {"silence_ms", p.silence_ms},
              {"ratio_periods", PeriodsName(p.ratio_periods)},
              {"ratio_window_ms", p.ratio_window_ms},
              {"ratio_bounds", {p.ratio_bounds.first, p.ratio_bounds.second}},
              {"ratio_min_baseline", p.ratio_min_baseline},
              {"baseline_days", p.baseline_days},
              {"abnormal_period_ms", p.abnormal_period_ms},
              {"abnormal_threshold", p.abnormal_threshold},
              {"timeout_ms", p.timeout_ms},
              {"timeout_period_ms", p.timeout_period_ms},
              {"timeout_threshold", p.timeout_threshold},
              {"for_ms", p.for_ms},
              {"severity", p.severity}};
}

// "08:00", minutes after midnight (may pass 24:00: "25:30").
std::string ClockText(int64_t minutes) { return fmt::format("{:02d}:{:02d}", minutes / 60, minutes % 60); }

const char* DaySelectName(DaySelect d) {
  return d == DaySelect::kWorkdays ? "workdays" : d == DaySelect::kHolidays ? "holidays" : "all";
}

// The calendar as configured, and the type of every day from 30 days ago to 30 days ahead.
Json CalendarJson(const serve::LoadedConfig& cfg, TimeMs now) {
  static const char* kWeekdays[] = {"", "mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  const CalendarConfig& cc = cfg.calendar.config();
  Json busy = Json::array(), weekend = Json::array(), holidays = Json::array(), workdays = Json::array(), days = Json::array();
  for (const ClockRange& r : cc.busy_hours) busy.push_back(ClockText(r.begin_minute) + "-" + ClockText(r.end_minute));
  for (int d : cc.weekend) weekend.push_back(d >= 1 && d <= 7 ? kWeekdays[d] : "?");
  for (const absl::CivilDay& d : cc.holidays) holidays.push_back(cfg.calendar.FormatDay(Calendar::ToLocalDay(d)));
  for (const absl::CivilDay& d : cc.workdays) workdays.push_back(cfg.calendar.FormatDay(Calendar::ToLocalDay(d)));
  const LocalDay today = cfg.calendar.DayOf(now);
  for (LocalDay d = today - 30; d <= today + 30; ++d) {
    days.push_back(Json{{"date", cfg.calendar.FormatDay(d)}, {"type", DayTypeName(cfg.calendar.TypeOf(d))}});
  }
  return Json{{"busy_hours", busy}, {"weekend", weekend}, {"holidays", holidays}, {"workdays", workdays}, {"days", days}};
}

Json OptionalMinutes(const std::optional<int>& m) { return m ? Json(ClockText(*m)) : Json(nullptr); }

Json BatchJson(const Config& config) {
  Json out = Json::array();
  for (const BatchStepConfig& b : config.batch) {
    out.push_back(Json{{"name", b.name}, {"txn", b.txn}, {"opens", ClockText(b.opens_minute)},
                       {"latest_start", OptionalMinutes(b.latest_start_minute)},
                       {"max_duration_ms", b.max_duration_ms ? Json(*b.max_duration_ms) : Json(nullptr)},
                       {"latest_end", OptionalMinutes(b.latest_end_minute)}, {"days", DaySelectName(b.days)},
                       {"severity", b.severity.value_or("critical")}});
  }
  return out;
}

Json ReconJson(const Config& config) {
  Json out = Json::array();
  for (const ReconCheckConfig& r : config.recon) {
    out.push_back(Json{{"name", r.name}, {"txn", r.txn}, {"start", ClockText(r.start_minute)}, {"end", ClockText(r.end_minute)},
                       {"factor", r.factor}, {"floor_count", r.floor_count}, {"floor_amount", r.floor_amount},
                       {"days", DaySelectName(r.days)},
                       {"baseline_days", r.baseline_days.value_or(config.ResolveParams(r.txn).baseline_days)},
                       {"severity", r.severity.value_or("critical")}});
  }
  return out;
}

Json CodesJson(const Config& config) {
  Json codes = Json::array();
  for (const auto& [txn, tc] : config.txn_codes) {
    const CodeParams p = config.ResolveParams(txn);
    auto svc = config.service_systems.find(tc.svc_sys);
    const double service_min = p.service_success_min.value_or(
        svc != config.service_systems.end() && svc->second.service_success_min ? *svc->second.service_success_min
                                                                                : config.DefaultServiceSuccessMin());
    Json on = Json::array(), off = Json::array();
    for (int r = 0; r < kRuleCount; ++r) (p.off[static_cast<size_t>(r)] ? off : on).push_back(RuleName(static_cast<Rule>(r)));
    codes.push_back(Json{{"txn", txn}, {"name", tc.name}, {"sys", tc.sys}, {"svc_sys", tc.svc_sys}, {"financial", tc.financial},
                         {"params", ParamsJson(p, service_min)}, {"rules_on", on}, {"rules_off", off}});
  }
  return codes;
}

// What GET /api/v1/config holds that follows from the configuration alone, written once per
// configuration: 5,000 codes' parameters are 4 MB of JSON, about 200 ms to build.
class ConfigText {
 public:
  struct Parts {
    std::string codes, yaml, batch, recon;
  };
  std::shared_ptr<const Parts> For(const std::shared_ptr<const serve::LoadedConfig>& cfg) {
    std::lock_guard lock(mu_);
    if (config_ != cfg) {
      auto parts = std::make_shared<Parts>();
      const auto dump = [](const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); };
      parts->codes = dump(CodesJson(cfg->config));
      parts->yaml = dump(Json(cfg->text));
      parts->batch = dump(BatchJson(cfg->config));
      parts->recon = dump(ReconJson(cfg->config));
      config_ = cfg;  // kept alive while it is the one cached
      parts_ = std::move(parts);
    }
    return parts_;
  }

 private:
  std::mutex mu_;
  std::shared_ptr<const serve::LoadedConfig> config_;
  std::shared_ptr<const Parts> parts_;
};

Json ServiceSystemsJson(const Config& config) {
  Json services = Json::array();
  for (const auto& [id, s] : config.service_systems) {
    services.push_back(Json{{"svc_sys", id}, {"name", s.name}, {"success", s.success},
                            {"service_success_min", s.service_success_min.value_or(config.DefaultServiceSuccessMin())}});
  }
  return services;
}

// The fields both views start with: where the configuration came from (`file`: the name of
// the file the server was started with; `path`: as given on its command line) and its zone.
void ConfigHead(JsonText& out, const serve::LoadedConfig& cfg) {
  out.Key("path").String(cfg.path);
  out.Key("file").String(std::filesystem::path(cfg.path).filename().string());
  out.Key("timezone").String(cfg.config.timezone);
  out.Key("allowed_lateness_ms").Int(cfg.config.allowed_lateness_ms);
  out.Key("max_future_skew_ms").Int(cfg.config.max_future_skew_ms);
}

// GET /api/v1/config?view=summary: what pages that only show times and names need (the zone,
// the calendar, the service systems), a few kilobytes where the full view is megabytes.
std::string ConfigSummary(const RouteContext& c) {
  serve::Runtime& rt = *c.services.runtime;
  const auto cfg = rt.config();
  const auto dump = [](const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); };
  JsonText out;
  out.BeginObject();
  ConfigHead(out, *cfg);
  out.Key("code_count").Int(static_cast<int64_t>(cfg->config.txn_codes.size()));
  out.Key("service_systems").Raw(dump(ServiceSystemsJson(cfg->config)));
  out.Key("calendar").Raw(dump(CalendarJson(*cfg, rt.clock().Now())));
  out.EndObject();
  return out.Take();
}

std::string ConfigView(const RouteContext& c, ConfigText& text) {
  serve::Runtime& rt = *c.services.runtime;
  const auto cfg = rt.config();
  const std::shared_ptr<const ConfigText::Parts> parts = text.For(cfg);
  const Json services = ServiceSystemsJson(cfg->config);
  Json unclassified = Json::array(), unconfigured = Json::array();
  rt.RunOnEngine([&](serve::LiveEngine& live) {
    if (!live.engine()) return;
    for (const auto& u : live.engine()->Unclassified()) unclassified.push_back(Json{{"txn", u.txn}, {"ret", u.ret}, {"count", u.count}});
    for (const auto& code : live.engine()->UnconfiguredCodes()) unconfigured.push_back(code);
  });
  const auto dump = [](const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); };
  JsonText out;
  out.BeginObject();
  ConfigHead(out, *cfg);
  out.Key("codes").Raw(parts->codes);
  out.Key("service_systems").Raw(dump(services));
  out.Key("unclassified_returns").Raw(dump(unclassified));
  out.Key("unconfigured_codes").Raw(dump(unconfigured));
  out.Key("calendar").Raw(dump(CalendarJson(*cfg, rt.clock().Now())));
  out.Key("batch").Raw(parts->batch);
  out.Key("recon").Raw(parts->recon);
  out.Key("yaml").Raw(parts->yaml);
  out.EndObject();
  return out.Take();
}

bool Authorised(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  return RequireBearer(req, res, c.options.api_token, "this needs the API token");
}

void Ready(const RouteContext& c, httplib::Response& res) {
  serve::Runtime& rt = *c.services.runtime;
  Json checks;
  bool ok = rt.ready();
  checks["engine"] = rt.ready() ? "ok" : "rebuilding";
  auto meta = rt.store().GetMeta("schema_probe");
  checks["store"] = meta.ok() ? "ok" : std::string(meta.status().message());
  ok = ok && meta.ok();
  const auto depth = rt.queue().depth();
  const bool queue_ok = depth.records < rt.queue().capacity() * 9 / 10;
  checks["queue"] = queue_ok ? "ok" : "nearly full";
  ok = ok && queue_ok;
  SendJson(res, Json{{"ready", ok}, {"checks", checks}}, ok ? 200 : 503);
}

}  // namespace

void AddSystemRoutes(httplib::Server& s, const RouteContext& c) {
  s.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok\n", "text/plain"); });
  s.Get("/readyz", [c](const httplib::Request&, httplib::Response& res) { Ready(c, res); });
  s.Get("/metrics", [c](const httplib::Request&, httplib::Response& res) {
    res.set_content(Metrics(c), "text/plain; version=0.0.4; charset=utf-8");
  });
  auto config_text = std::make_shared<ConfigText>();
  auto config_answer = std::make_shared<RepeatedAnswer>();
  s.Get("/api/v1/config", [c, config_text, config_answer](const httplib::Request& req, httplib::Response& res) {
    const std::string view = req.has_param("view") ? req.get_param_value("view") : "full";
    if (view == "summary") return SendJsonText(req, res, ConfigSummary(c));
    if (view != "full") return SendError(res, 400, "query parameter view: expected full or summary");
    config_answer->Send(req, res, ConfigView(c, *config_text));
  });
  s.Post("/api/v1/config/reload", [c](const httplib::Request& req, httplib::Response& res) {
    if (!Authorised(c, req, res)) return;
    if (!c.services.reload) return SendError(res, 501, "reload is not available");
    std::vector<std::string> errors = c.services.reload();
    if (!errors.empty()) return SendJson(res, Json{{"applied", false}, {"errors", errors}}, 400);
    SendJson(res, Json{{"applied", true}});
  });
  s.Get("/api/v1/stats/ingest", [c](const httplib::Request& req, httplib::Response& res) {
    // wait_records / wait_reloads: answer once that many records were applied (reloads done)
    // since start, or after timeout_ms (a script waiting for its data, without polling).
    int64_t records = 0, reloads = 0, timeout_ms = 0;
    absl::Status valid = IntParam(req, "wait_records", 0, INT64_MAX, 0, &records);
    if (valid.ok()) valid = IntParam(req, "wait_reloads", 0, INT64_MAX, 0, &reloads);
    if (valid.ok()) valid = IntParam(req, "timeout_ms", 0, 30'000, 10'000, &timeout_ms);
    if (!valid.ok()) return SendStatus(res, valid);
    const serve::RuntimeStats st = c.services.runtime->WaitFor(records, reloads, std::chrono::milliseconds(timeout_ms));
    const auto depth = c.services.runtime->queue().depth();
    Json reasons = Json::object();
    for (int i = 0; i < kRejectReasonCount; ++i) {
      reasons[RejectReasonName(static_cast<RejectReason>(i))] = c.counters.rejected_by_reason[i].load();
    }
    reasons["future_time"] = reasons["future_time"].get<int64_t>() + st.future;
    SendJson(res, Json{{"records_applied", st.records},
                       {"records_late", st.late},
                       {"rejected_by_reason", reasons},
                       {"requests", c.counters.ingest_requests.load()},
                       {"throttled", c.counters.ingest_throttled.load()},
                       {"queue_records", depth.records},
                       {"queue_capacity", c.services.runtime->queue().capacity()},
                       {"evaluation_lag_ms", st.lag_ms},
                       {"checkpoint_ms", st.checkpoint == INT64_MIN ? Json(nullptr) : Json(st.checkpoint)},
                       {"alert_events", st.events},
                       {"rebuild_records", st.rebuild_records},
                       {"reloads", st.reloads},
                       {"rebuild_seconds", st.rebuild_seconds}});
  });
  s.Get("/api/v1/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(OpenApiDocument(), "application/json");
  });
  s.Post("/api/v1/admin/clock", [c](const httplib::Request& req, httplib::Response& res) {
    if (!c.services.fake_clock) return SendError(res, 404, "the clock is real (start with --fake-clock to move it)");
    if (!Authorised(c, req, res)) return;
    Json body;
    if (auto st = ParseJsonBody(req, &body); !st.ok()) return SendStatus(res, st);
    if (body.contains("now_ms") && body["now_ms"].is_number_integer()) c.services.fake_clock->Set(body["now_ms"].get<TimeMs>());
    if (body.contains("advance_ms") && body["advance_ms"].is_number_integer()) c.services.fake_clock->Advance(body["advance_ms"].get<int64_t>());
    c.services.runtime->TickNow();
    if (c.services.on_clock_moved) c.services.on_clock_moved();
    SendJson(res, Json{{"now_ms", c.services.fake_clock->Now()}});
  });
}

}  // namespace vigil::http
