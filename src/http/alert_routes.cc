// Alerts: the current state of every alert, the history of events, one event with its abnormal
// records (also as CSV for the 异常交易明细 export).
#include <map>

#include "fmt/format.h"
#include "http/http_util.h"
#include "http/routes.h"

namespace vigil::http {
namespace {

Json ParsedOr(const std::string& text) {
  Json j = Json::parse(text, nullptr, false);
  return j.is_discarded() ? Json(text) : j;
}

Json EventJson(const store::AlertEventRow& e, bool with_records) {
  Json j;
  j["id"] = e.id;
  j["at_ms"] = e.at;
  j["event"] = ParsedOr(e.json);
  if (with_records) {
    Json records = Json::array();
    for (const std::string& r : e.abnormal_records) records.push_back(ParsedOr(r));
    j["records"] = std::move(records);
  }
  return j;
}

// GET /api/v1/alerts?state=firing|resolved|all&since=T
void CurrentAlerts(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  const std::string state = req.has_param("state") ? req.get_param_value("state") : "firing";
  if (state != "firing" && state != "resolved" && state != "all") {
    return SendError(res, 400, "query parameter state: expected firing, resolved or all");
  }
  std::optional<TimeMs> since;
  if (auto s = TimeParam(req, "since", &since); !s.ok()) return SendStatus(res, s);
  const TimeMs now = c.services.runtime->clock().Now();
  auto rows = c.services.runtime->store().AlertStates(state != "firing", since.value_or(now - 24 * 3600'000));
  if (!rows.ok()) return SendStatus(res, rows.status());
  std::map<std::string, alerting::AlertStatus> status;
  if (c.services.alerting) {
    for (auto& a : c.services.alerting->Active()) status.emplace(a.rule + '\0' + a.key_json, std::move(a));
  }
  Json out = Json::array();
  for (const store::AlertStateRow& a : *rows) {
    if (state == "resolved" && a.firing) continue;
    Json j;
    j["rule"] = a.rule;
    j["key"] = ParsedOr(a.key_json);
    j["severity"] = a.severity;
    j["state"] = a.firing ? "firing" : "resolved";
    j["started_at_ms"] = a.started_at;
    j["updated_at_ms"] = a.updated_at;
    j["resolved_at_ms"] = a.resolved_at ? Json(*a.resolved_at) : Json(nullptr);
    j["last_event_id"] = a.last_event_id;
    j["event"] = ParsedOr(a.last_event_json);
    if (auto it = status.find(a.rule + '\0' + a.key_json); it != status.end()) {
      const alerting::AlertStatus& s = it->second;
      j["fingerprint"] = s.fingerprint;
      j["labels"] = s.labels;
      j["suppressed"] = s.state == "suppressed";
      j["silenced_by"] = s.silenced_by;
      j["inhibited_by"] = s.inhibited_by;
      j["receivers"] = s.receivers;
    }
    out.push_back(std::move(j));
  }
  SendJson(res, Json{{"alerts", out}});
}

// GET /api/v1/alerts/events?from&to&rule&txn&state&limit&before_id
void Events(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  store::EventQuery q;
  int64_t limit = 0, before = 0;
  absl::Status s = TimeParam(req, "from", &q.from);
  if (s.ok()) s = TimeParam(req, "to", &q.to);
  if (s.ok()) s = IntParam(req, "limit", 1, 1000, 100, &limit);
  if (s.ok()) s = IntParam(req, "before_id", 0, INT64_MAX, 0, &before);
  if (!s.ok()) return SendStatus(res, s);
  q.limit = static_cast<int>(limit);
  q.before_id = before;
  if (req.has_param("rule")) q.rule = req.get_param_value("rule");
  if (req.has_param("txn")) q.key_contains = fmt::format("\"txn\":{}", Json(req.get_param_value("txn")).dump());
  if (req.has_param("state")) {
    const std::string st = req.get_param_value("state");
    if (st != "firing" && st != "resolved") return SendError(res, 400, "query parameter state: expected firing or resolved");
    q.firing = st == "firing";
  }
  auto rows = c.services.runtime->store().QueryEvents(q);
  if (!rows.ok()) return SendStatus(res, rows.status());
  Json out = Json::array();
  for (const auto& e : *rows) out.push_back(EventJson(e, false));
  Json j{{"events", out}};
  if (!rows->empty() && static_cast<int>(rows->size()) == q.limit) j["next_before_id"] = rows->back().id;
  SendJson(res, j);
}

absl::StatusOr<store::AlertEventRow> EventById(const RouteContext& c, const httplib::Request& req) {
  int64_t id = 0;
  try {
    id = std::stoll(req.matches[1]);
  } catch (...) {
    return absl::InvalidArgumentError("the event id is not a number");
  }
  auto e = c.services.runtime->store().GetEvent(id);
  if (!e.ok()) return e.status();
  if (!*e) return absl::NotFoundError(fmt::format("no alert event {}", id));
  return std::move(**e);
}

std::string CsvCell(const Json& v) {
  std::string s = v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump();
  // Cells a spreadsheet would run as a formula are quoted with a leading apostrophe.
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) s = "'" + s;
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

void EventRecords(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto e = EventById(c, req);
  if (!e.ok()) return SendStatus(res, e.status());
  if (req.get_param_value("format") != "csv") return SendJson(res, EventJson(*e, true));
  static const char* kColumns[] = {"ts", "node", "serial", "sys", "txn", "svc_sys", "ret", "svc_ret", "dur_ms"};
  std::string csv;
  for (const char* col : kColumns) csv += std::string(col) + (col == kColumns[8] ? "\r\n" : ",");
  for (const std::string& r : e->abnormal_records) {
    Json j = Json::parse(r, nullptr, false);
    if (j.is_discarded()) continue;
    for (const char* col : kColumns) csv += CsvCell(j.value(col, Json(nullptr))) + (col == kColumns[8] ? "\r\n" : ",");
  }
  res.set_header("Content-Disposition", fmt::format("attachment; filename=\"alert-{}-records.csv\"", e->id));
  res.set_content("\xEF\xBB\xBF" + csv, "text/csv; charset=utf-8");  // BOM: Excel reads UTF-8
}

}  // namespace

void AddAlertRoutes(httplib::Server& s, const RouteContext& c) {
  s.Get("/api/v1/alerts", [c](const auto& req, auto& res) { CurrentAlerts(c, req, res); });
  s.Get("/api/v1/alerts/events", [c](const auto& req, auto& res) { Events(c, req, res); });
  s.Get(R"(/api/v1/alerts/events/(\d+))", [c](const auto& req, auto& res) {
    auto e = EventById(c, req);
    if (!e.ok()) return SendStatus(res, e.status());
    SendJson(res, EventJson(*e, true));
  });
  s.Get(R"(/api/v1/alerts/events/(\d+)/records)", [c](const auto& req, auto& res) { EventRecords(c, req, res); });
}

}  // namespace vigil::http
