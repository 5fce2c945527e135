// The incident service's SLA: due times in business minutes on the monitoring calendar, the
// states (ok, at_risk, breached, met, missed), and the periodic sweep that flags at_risk and
// breached once each.
#include "common/strings.h"
#include "desk/incidents.h"
#include "desk/incidents_internal.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace vigil::desk {
namespace {

// Severity order of the open states: a state only ever moves up while open.
int Rank(std::string_view state) {
  return state == "breached" ? 2 : state == "at_risk" ? 1 : 0;
}

// Without a calendar (no monitoring configuration): every day is a workday in UTC.
const Calendar& FallbackCalendar() {
  static const Calendar* c = new Calendar(CalendarConfig{}, absl::UTCTimeZone());
  return *c;
}

}  // namespace

void IncidentService::ComputeDue(const DeskSettings& s, store::IncidentRow* r) {
  auto cal = calendar_ ? calendar_() : nullptr;
  BusinessClock clock(cal ? cal.get() : &FallbackCalendar(), s.hours);
  const auto it = s.targets.find(r->priority);
  const SlaTarget t = it == s.targets.end() ? SlaTarget{120, 1440} : it->second;
  r->first_response_due = clock.AddBusinessMinutes(r->created_at, t.first_response_minutes);
  r->resolution_due = clock.AddBusinessMinutes(r->created_at, t.resolution_minutes);
}

void IncidentService::RecordFirstResponse(store::IncidentRow* r, TimeMs now) {
  if (!r->first_response_at) r->first_response_at = now;
}

void IncidentService::RefreshSlaStates(store::IncidentRow* r, TimeMs now, bool raise) {
  const std::string old_first = r->first_response_state, old_resolution = r->sla_state;
  auto settings = Settings();
  if (!settings.ok()) return;
  auto cal = calendar_ ? calendar_() : nullptr;
  BusinessClock clock(cal ? cal.get() : &FallbackCalendar(), settings->hours);
  const auto it = settings->targets.find(r->priority);
  const SlaTarget t = it == settings->targets.end() ? SlaTarget{120, 1440} : it->second;
  r->first_response_state = std::string(SlaStateName(EvaluateSla(
      clock, r->created_at, r->first_response_due, t.first_response_minutes,
      r->first_response_at, now)));
  std::optional<TimeMs> done = r->resolved_at ? r->resolved_at : r->closed_at;
  r->sla_state = std::string(SlaStateName(
      EvaluateSla(clock, r->created_at, r->resolution_due, t.resolution_minutes, done, now)));
  if (raise) return;
  // Only the sweep raises an open state (it records and notifies it): elsewhere an open state
  // stays where it was, and one reopened after being done starts from ok.
  auto hold = [](const std::string& old_state, std::string* state) {
    if (Rank(*state) == 0) return;
    const bool old_open = Rank(old_state) > 0 || old_state == "ok";
    *state = old_open ? (Rank(old_state) >= Rank(*state) ? *state : old_state) : "ok";
  };
  hold(old_first, &r->first_response_state);
  hold(old_resolution, &r->sla_state);
}

// One open incident: flags what moved up to at_risk or breached, once.
absl::Status IncidentService::SweepOne(store::IncidentRow row, TimeMs now, bool* changed) {
  *changed = false;
  Principal system;
  system.name = "system";
  Pending p;
  p.who = &system;
  p.now = now;
  store::IncidentRow before = row;
  p.change.incident = std::move(row);
  store::IncidentRow& r = p.row();
  RefreshSlaStates(&r, now, /*raise=*/true);
  auto flag = [&](const std::string& old_state, std::string* state, const char* target) {
    if (Rank(*state) <= Rank(old_state)) {
      *state = old_state;  // never back down while open (a lowered target is not a "fix")
      return;
    }
    const bool breached = *state == "breached";
    p.History(breached ? "sla_breached" : "sla_at_risk", r.status, r.status,
              nlohmann::json{{"target", target}}.dump());
    DeskEvent e = EventOf(r, breached ? DeskEventKind::kSlaBreached : DeskEventKind::kSlaAtRisk,
                          "system");
    e.action = target;
    Notify(p, e);
  };
  if (!before.first_response_at) {
    flag(before.first_response_state, &r.first_response_state, "first_response");
  } else {
    r.first_response_state = before.first_response_state;
  }
  flag(before.sla_state, &r.sla_state, "resolution");
  if (p.change.history.empty()) return absl::OkStatus();
  absl::Status s = CommitAndAnnounce(p);
  if (s.code() == absl::StatusCode::kAborted) return absl::OkStatus();  // the next sweep sees it
  if (s.ok()) *changed = true;
  return s;
}

absl::StatusOr<int> IncidentService::SweepSla() {
  auto open = store_->OpenIncidents();
  if (!open.ok()) return open.status();
  const TimeMs now = clock_->Now();
  int changed = 0;
  for (store::IncidentRow& r : *open) {
    bool c = false;
    if (auto s = SweepOne(std::move(r), now, &c); !s.ok()) return s;
    changed += c ? 1 : 0;
  }
  return changed;
}

}  // namespace vigil::desk
