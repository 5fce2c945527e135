// Incidents that come from elsewhere: opened from a monitoring alert (one open incident per
// alert), and historical tickets imported from an ITSM's CSV export (desk::ParseItsmCsv).
#include <algorithm>
#include <map>

#include "common/strings.h"
#include "desk/incidents.h"
#include "desk/incidents_internal.h"
#include "desk/policy.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace vigil::desk {
namespace {

std::string PriorityOfSeverity(std::string_view severity) {
  if (severity == "critical" || severity == "page") return "P1";
  if (severity == "warning" || severity == "major") return "P2";
  return "P3";
}

std::string FallbackSystem(const DeskSettings& s) {
  auto it = std::find(s.systems.begin(), s.systems.end(), "其他");
  return it != s.systems.end() ? *it : s.systems.empty() ? "其他" : s.systems.front();
}

}  // namespace

absl::StatusOr<IncidentView> IncidentService::FromAlert(const Principal& who,
                                                        const AlertDetails& alert, bool* created) {
  *created = false;
  if (!Allowed(who, Action::kHandleIncident)) {
    return absl::PermissionDeniedError("only a handler opens an incident from an alert");
  }
  if (auto s = CheckText("fingerprint", alert.fingerprint, 200, true); !s.ok()) return s;
  auto existing = store_->OpenIncidentForAlert(alert.fingerprint);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) return View(who, (*existing)->id);
  auto settings = Settings();
  if (!settings.ok()) return settings.status();
  Pending p;
  p.who = &who;
  p.now = clock_->Now();
  store::IncidentRow& r = p.change.incident;
  r.title = Excerpt(fmt::format("[{}] {} {}", alert.severity, alert.rule, alert.key_text));
  r.description = fmt::format("{}\n\nrule: {}\nkey: {}\nseverity: {}\nsince: {}", alert.summary,
                              alert.rule, alert.key_text, alert.severity, alert.started_at);
  r.system = FallbackSystem(*settings);
  r.priority = PriorityOfSeverity(alert.severity);
  r.channel = "alert";
  r.alert_fingerprint = alert.fingerprint;
  r.reporter_id = who.user_id;
  r.reporter = who.name;
  r.created_at = r.updated_at = p.now;
  ComputeDue(*settings, &r);
  std::string records = "abnormal records of the alert:";
  for (const std::string& line : alert.records) records += "\n" + line;
  if (alert.records.empty()) records += " none stored";
  p.change.message = store::IncidentMessageRow{0, 0, "system", "system", "system", records, {}, p.now};
  p.History("create", "", "new",
            nlohmann::json{{"channel", "alert"}, {"fingerprint", alert.fingerprint}}.dump());
  Notify(p, EventOf(r, DeskEventKind::kIncidentCreated, who.name));
  if (auto s = CommitAndAnnounce(p); !s.ok()) return s;
  *created = true;
  return ViewOf(who, std::move(p.change.incident));
}

// A ticket whose ITSM id is already in the store (an earlier import) or earlier in the same
// file becomes an error row instead of a second incident: importing a file twice adds nothing.
absl::Status IncidentService::DropAlreadyImported(ImportResult* parsed) {
  std::vector<std::string> refs;
  for (const ImportedTicket& t : parsed->valid) refs.push_back(t.external_ref);
  auto stored = store_->FindExternalRefs(refs);
  if (!stored.ok()) return stored.status();
  std::map<std::string, int> first_row;  // ref -> the row of the file that brings it
  std::vector<ImportedTicket> keep;
  for (ImportedTicket& t : parsed->valid) {
    if (!t.external_ref.empty()) {
      if (auto it = stored->find(t.external_ref); it != stored->end()) {
        parsed->errors.push_back({t.row, "ref", fmt::format("{} was imported already as {}",
                                                            t.external_ref, it->second)});
        continue;
      }
      auto [it, fresh] = first_row.emplace(t.external_ref, t.row);
      if (!fresh) {
        parsed->errors.push_back(
            {t.row, "ref", fmt::format("{} is also on row {}", t.external_ref, it->second)});
        continue;
      }
    }
    keep.push_back(std::move(t));
  }
  parsed->valid = std::move(keep);
  std::stable_sort(parsed->errors.begin(), parsed->errors.end(),
                   [](const ImportError& a, const ImportError& b) { return a.row < b.row; });
  return absl::OkStatus();
}

absl::StatusOr<ImportOutcome> IncidentService::Import(const Principal& who, std::string_view csv,
                                                      const ImportMapping& mapping, bool dry_run) {
  if (!Allowed(who, Action::kManageDesk)) {
    return absl::PermissionDeniedError("only an admin imports tickets");
  }
  auto cal = calendar_ ? calendar_() : nullptr;
  auto parsed = ParseItsmCsv(csv, mapping, cal ? cal->time_zone() : absl::UTCTimeZone());
  if (!parsed.ok()) return parsed.status();
  if (auto s = DropAlreadyImported(&*parsed); !s.ok()) return s;
  ImportOutcome out;
  out.rows = parsed->rows;
  out.valid = static_cast<int>(parsed->valid.size());
  out.errors = parsed->errors;
  if (dry_run || parsed->valid.empty()) return out;
  auto settings = Settings();
  if (!settings.ok()) return settings.status();
  const TimeMs now = clock_->Now();
  std::vector<store::IncidentChange> changes;
  for (const ImportedTicket& t : parsed->valid) {
    store::IncidentChange c;
    store::IncidentRow& r = c.incident;
    r.title = t.title;
    r.description = t.description;
    r.system = t.system.empty() ? FallbackSystem(*settings) : t.system;
    r.status = t.status.empty() ? (t.closed_at ? "closed" : t.resolved_at ? "resolved" : "new") : t.status;
    r.priority = t.priority.empty() ? "P3" : t.priority;
    r.klass = t.klass;
    for (const auto& s : settings->subcategories) {
      if (!t.subcategory.empty() && s.name == t.subcategory && (t.klass.empty() || s.klass == t.klass)) {
        r.subcategory_id = s.id;
        if (r.klass.empty()) r.klass = s.klass;
      }
    }
    r.channel = "itsm";
    r.reporter = t.reporter;
    if (auto u = users_->GetUser(t.reporter); u.ok() && u->has_value()) r.reporter_id = (*u)->id;
    r.assignee = t.assignee;
    r.external_ref = t.external_ref;
    r.cause = t.cause;
    r.solution = t.solution;
    r.customer_no = t.customer_no;
    r.account = t.account;
    r.customer_name = t.customer_name;
    r.phone = t.phone;
    r.created_at = t.created_at;
    r.updated_at = now;
    r.resolved_at = t.resolved_at;
    r.closed_at = t.closed_at;
    // The export has no first response: a done ticket counts its resolution as one.
    r.first_response_at = t.resolved_at ? t.resolved_at : t.closed_at;
    ComputeDue(*settings, &r);
    RefreshSlaStates(&r, now, /*raise=*/true);
    c.history.push_back({0, 0, now, who.name, "create", "", r.status,
                         nlohmann::json{{"channel", "itsm"}, {"external_ref", t.external_ref},
                                        {"row", t.row}}.dump()});
    changes.push_back(std::move(c));
  }
  if (auto s = store_->CommitIncidents(&changes); !s.ok()) return s;
  out.imported = static_cast<int>(changes.size());
  return out;
}

}  // namespace vigil::desk
