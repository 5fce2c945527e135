// Incidents that come from elsewhere: POST /api/v1/incidents/from-alert (the alert's details
// and abnormal records read from the store) and POST /api/v1/incidents/import (an ITSM's CSV
// with a column mapping; dry run first).
#include "alerting/alerting.h"
#include "desk/incidents.h"
#include "fmt/format.h"
#include "http/auth.h"
#include "http/incident_json.h"
#include "http/incident_routes.h"

namespace vigil::http {
namespace {

// "txn=1001 channel=mobile" from {"txn":"1001","channel":"mobile"}.
std::string KeyText(const std::string& key_json) {
  Json key = Json::parse(key_json, nullptr, false);
  if (!key.is_object()) return key_json;
  std::string out;
  for (const auto& [k, v] : key.items()) {
    out += fmt::format("{}{}={}", out.empty() ? "" : " ", k, v.is_string() ? v.get<std::string>() : v.dump());
  }
  return out;
}

absl::StatusOr<desk::AlertDetails> AlertOf(const RouteContext& c, const std::string& fingerprint) {
  store::Store& st = c.services.runtime->store();
  auto states = st.AlertStates(true, 0);
  if (!states.ok()) return states.status();
  for (const store::AlertStateRow& a : *states) {
    if (alerting::Fingerprint(a.rule, a.key_json) != fingerprint) continue;
    desk::AlertDetails d;
    d.fingerprint = fingerprint;
    d.rule = a.rule;
    d.severity = a.severity;
    d.key_text = KeyText(a.key_json);
    d.started_at = a.started_at;
    auto event = st.GetEvent(a.last_event_id);
    if (event.ok() && event->has_value()) {
      Json j = Json::parse((*event)->json, nullptr, false);
      if (j.is_object()) {
        for (const char* key : {"summary", "message", "description"}) {
          if (j.contains(key) && j[key].is_string()) {
            d.summary = j[key].get<std::string>();
            break;
          }
        }
      }
      d.records = (*event)->abnormal_records;
    }
    if (d.summary.empty()) d.summary = fmt::format("alert {} on {}", a.rule, d.key_text);
    return d;
  }
  return absl::NotFoundError(fmt::format("fingerprint: no alert with fingerprint '{}'", fingerprint));
}

void FromAlert(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  // Checked before the alert is looked up, so alerts cannot be probed by those who may not.
  auto who = Authorize(c, req, res, desk::Action::kHandleIncident);
  if (!who) return;
  Json body;
  if (!Body(req, res, &body)) return;
  std::optional<std::string> fingerprint;
  if (auto s = OptString(body, "fingerprint", &fingerprint); !s.ok()) return SendStatus(res, s);
  if (!fingerprint || fingerprint->empty()) return SendError(res, 400, "fingerprint: required");
  auto alert = AlertOf(c, *fingerprint);
  if (!alert.ok()) return SendIncidentStatus(res, alert.status());
  bool created = false;
  auto v = Incidents(c).FromAlert(*who, *alert, &created);
  if (!v.ok()) return SendIncidentStatus(res, v.status());
  if (created) {
    AuditIncident(c, req, *who, "incident.from_alert", IncidentRefOf(v->row.id), {{"fingerprint", *fingerprint}});
  }
  SendJson(res, IncidentJson(*v), created ? 201 : 200);
}

void Import(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authorize(c, req, res, desk::Action::kManageDesk);
  if (!who) return;
  Json body;
  if (!Body(req, res, &body)) return;
  std::optional<std::string> csv;
  std::optional<bool> dry_run;
  if (auto s = OptString(body, "csv", &csv); !s.ok()) return SendStatus(res, s);
  if (auto s = OptBool(body, "dry_run", &dry_run); !s.ok()) return SendStatus(res, s);
  if (!csv) return SendError(res, 400, "csv: required (the file's text)");
  desk::ImportMapping mapping;
  if (!body.contains("mapping") || !body["mapping"].is_object()) {
    return SendError(res, 400, "mapping: required, {field: \"CSV column\"}");
  }
  for (const auto& [field, column] : body["mapping"].items()) {
    if (!column.is_string()) return SendError(res, 400, fmt::format("mapping.{}: must be a column name", field));
    mapping.columns[field] = column.get<std::string>();
  }
  auto out = Incidents(c).Import(*who, *csv, mapping, dry_run.value_or(true));
  if (!out.ok()) return SendIncidentStatus(res, out.status());
  Json errors = Json::array();
  for (const auto& e : out->errors) errors.push_back({{"row", e.row}, {"field", e.field}, {"message", e.message}});
  if (out->imported > 0) {
    AuditIncident(c, req, *who, "incident.import", "desk:import",
                  {{"rows", out->rows}, {"imported", out->imported}});
  }
  SendJson(res, {{"rows", out->rows}, {"valid", out->valid}, {"errors", errors}, {"imported", out->imported}});
}

}  // namespace

void AddIncidentIntakeRoutes(httplib::Server& s, const RouteContext& c) {
  if (c.services.runtime) {
    s.Post("/api/v1/incidents/from-alert", [c](const auto& req, auto& res) { FromAlert(c, req, res); });
  }
  s.Post("/api/v1/incidents/import", [c](const auto& req, auto& res) { Import(c, req, res); });
}

}  // namespace vigil::http
