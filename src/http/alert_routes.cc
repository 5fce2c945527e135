// Alerts: the current state of every alert, the history of events, one event with its abnormal
// records (also as CSV for the 异常交易明细 export), and acknowledgements (someone is on it:
// no more reminders) with their log.
#include <map>

#include "alerting/tracked_alert.h"
#include "fmt/format.h"
#include "http/http_util.h"
#include "http/routes.h"

namespace vigil::http {
namespace {

Json ParsedOr(const std::string& text) {
  Json j = Json::parse(text, nullptr, false);
  return j.is_discarded() ? Json(text) : j;
}

Json AckJson(const std::optional<store::AlertAck>& ack) {
  if (!ack) return nullptr;
  return Json{{"by", ack->by}, {"comment", ack->comment}, {"at_ms", ack->at}};
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
  auto body = AlertsJson(c, state, since);
  if (!body.ok()) return SendStatus(res, body.status());
  SendJson(res, *body);
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

// An acknowledgement's body: {"comment","by"}, both optional strings (`by` defaults to
// "api"); an empty body is {}. `now` is the server's clock.
absl::StatusOr<store::AlertAck> AckFromBody(const httplib::Request& req, TimeMs now) {
  store::AlertAck ack{"api", "", now};
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return ack;
  Json j;
  if (absl::Status s = ParseJsonBody(req, &j); !s.ok()) return s;
  if (!j.is_object()) return absl::InvalidArgumentError("the body must be a JSON object");
  struct Field {
    const char* name;
    size_t max_bytes;
    std::string* out;
  };
  for (const Field& f : {Field{"by", 200, &ack.by}, Field{"comment", 2000, &ack.comment}}) {
    auto it = j.find(f.name);
    if (it == j.end() || it->is_null()) continue;
    if (!it->is_string()) return absl::InvalidArgumentError(fmt::format("{}: expected a string", f.name));
    if (it->get_ref<const std::string&>().size() > f.max_bytes) {
      return absl::InvalidArgumentError(fmt::format("{}: longer than {} bytes", f.name, f.max_bytes));
    }
    *f.out = it->get<std::string>();
  }
  if (ack.by.empty()) ack.by = "api";
  return ack;
}

// The firing alert a fingerprint names. What fires is the store's word (the alerting
// pipeline may be absent); a resolved or unknown alert is NotFound.
absl::StatusOr<store::AlertStateRow> FiringAlert(const RouteContext& c, const std::string& fingerprint) {
  auto rows = c.services.runtime->store().AlertStates(false);
  if (!rows.ok()) return rows.status();
  for (store::AlertStateRow& a : *rows) {
    if (alerting::Fingerprint(a.rule, a.key_json) == fingerprint) return std::move(a);
  }
  return absl::NotFoundError(fmt::format("no firing alert with fingerprint '{}'", fingerprint));
}

// POST (acknowledge) and DELETE (withdraw) /api/v1/alerts/{fingerprint}/ack
void Acknowledge(const RouteContext& c, const httplib::Request& req, httplib::Response& res, bool ack) {
  if (!RequireBearer(req, res, c.options.api_token, "acknowledging an alert needs the API token")) return;
  const std::string fingerprint = req.matches[1];
  auto who = AckFromBody(req, c.services.runtime->clock().Now());
  if (!who.ok()) return SendStatus(res, who.status());
  auto alert = FiringAlert(c, fingerprint);
  if (!alert.ok()) return SendStatus(res, alert.status());
  store::Store& st = c.services.runtime->store();
  absl::Status s = ack ? st.AcknowledgeAlert(alert->rule, alert->key_json, *who)
                       : st.UnacknowledgeAlert(alert->rule, alert->key_json, *who).status();
  if (absl::IsNotFound(s)) {  // resolved since it was looked up
    return SendError(res, 404, fmt::format("no firing alert with fingerprint '{}': it resolved", fingerprint));
  }
  if (!s.ok()) return SendStatus(res, s);
  if (c.services.alerting) c.services.alerting->AcknowledgementsChanged();
  SendJson(res, Json{{"fingerprint", fingerprint},
                     {"rule", alert->rule},
                     {"key", ParsedOr(alert->key_json)},
                     {"acknowledged", ack ? AckJson(*who) : Json(nullptr)}});
}

// GET /api/v1/alerts/acks?from&to&rule&txn&limit&before_id: the acknowledgement log, newest
// first (an alert's history beside its events).
void AckLog(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  store::AckLogQuery q;
  int64_t limit = 0;
  absl::Status s = TimeParam(req, "from", &q.from);
  if (s.ok()) s = TimeParam(req, "to", &q.to);
  if (s.ok()) s = IntParam(req, "limit", 1, 1000, 100, &limit);
  if (s.ok()) s = IntParam(req, "before_id", 0, INT64_MAX, 0, &q.before_id);
  if (!s.ok()) return SendStatus(res, s);
  q.limit = static_cast<int>(limit);
  if (req.has_param("rule")) q.rule = req.get_param_value("rule");
  if (req.has_param("txn")) q.key_contains = fmt::format("\"txn\":{}", Json(req.get_param_value("txn")).dump());
  auto rows = c.services.runtime->store().QueryAckLog(q);
  if (!rows.ok()) return SendStatus(res, rows.status());
  Json out = Json::array();
  for (const store::AckLogEntry& e : *rows) {
    out.push_back(Json{{"id", e.id},
                       {"at_ms", e.ack.at},
                       {"action", e.acknowledged ? "ack" : "unack"},
                       {"by", e.ack.by},
                       {"comment", e.ack.comment},
                       {"fingerprint", alerting::Fingerprint(e.rule, e.key_json)},
                       {"rule", e.rule},
                       {"key", ParsedOr(e.key_json)}});
  }
  Json j{{"acks", out}};
  if (!rows->empty() && static_cast<int>(rows->size()) == q.limit) j["next_before_id"] = rows->back().id;
  SendJson(res, j);
}

}  // namespace

absl::StatusOr<Json> AlertsJson(const RouteContext& c, std::string_view state, std::optional<TimeMs> since) {
  const TimeMs now = c.services.runtime->clock().Now();
  auto rows = c.services.runtime->store().AlertStates(state != "firing", since.value_or(now - 24 * 3600'000));
  if (!rows.ok()) return rows.status();
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
    j["fingerprint"] = alerting::Fingerprint(a.rule, a.key_json);
    j["acknowledged"] = AckJson(a.ack);
    if (auto it = status.find(a.rule + '\0' + a.key_json); it != status.end()) {
      const alerting::AlertStatus& s = it->second;
      j["labels"] = s.labels;
      j["suppressed"] = s.state == "suppressed";
      j["silenced_by"] = s.silenced_by;
      j["inhibited_by"] = s.inhibited_by;
      j["receivers"] = s.receivers;
    }
    out.push_back(std::move(j));
  }
  return Json{{"alerts", std::move(out)}};
}

void AddAlertRoutes(httplib::Server& s, const RouteContext& c) {
  s.Get("/api/v1/alerts", [c](const auto& req, auto& res) { CurrentAlerts(c, req, res); });
  s.Get("/api/v1/alerts/events", [c](const auto& req, auto& res) { Events(c, req, res); });
  s.Get(R"(/api/v1/alerts/events/(\d+))", [c](const auto& req, auto& res) {
    auto e = EventById(c, req);
    if (!e.ok()) return SendStatus(res, e.status());
    SendJson(res, EventJson(*e, true));
  });
  s.Get(R"(/api/v1/alerts/events/(\d+)/records)", [c](const auto& req, auto& res) { EventRecords(c, req, res); });
  s.Get("/api/v1/alerts/acks", [c](const auto& req, auto& res) { AckLog(c, req, res); });
  s.Post(R"(/api/v1/alerts/([^/]+)/ack)", [c](const auto& req, auto& res) { Acknowledge(c, req, res, true); });
  s.Delete(R"(/api/v1/alerts/([^/]+)/ack)", [c](const auto& req, auto& res) { Acknowledge(c, req, res, false); });
}

}  // namespace vigil::http
