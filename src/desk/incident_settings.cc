// The incident service's settings: systems, SLA targets per priority, business hours and
// subcategories, cached in memory and stored as desk_settings JSON values.
#include <algorithm>

#include "common/strings.h"
#include "desk/incidents.h"
#include "desk/incidents_internal.h"
#include "desk/policy.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace vigil::desk {
namespace {

constexpr const char* kTargetsKey = "sla_targets";
constexpr const char* kHoursKey = "business_hours";
const std::vector<std::string> kClasses = {"data", "program", "consultation"};
const std::vector<std::string> kPriorities = {"P1", "P2", "P3", "P4"};

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

DeskSettings DefaultDeskSettings() {
  DeskSettings s;
  s.systems = {"开户", "交易", "账户", "理财", "其他"};
  s.targets = {{"P1", {15, 240}}, {"P2", {30, 480}}, {"P3", {120, 1440}}, {"P4", {240, 2400}}};
  return s;
}

absl::StatusOr<std::vector<std::string>> IncidentService::Assignees(const Principal& who) {
  std::vector<std::string> names;
  if (!Allowed(who, Action::kHandleIncident)) return names;
  auto users = users_->ListUsers();  // by name
  if (!users.ok()) return users.status();
  for (const store::UserRow& u : *users) {
    if (!u.disabled && (u.role == "handler" || u.role == "admin")) names.push_back(u.name);
  }
  return names;
}

absl::StatusOr<DeskSettings> IncidentService::Settings() {
  {
    std::lock_guard lock(mu_);
    if (settings_) return *settings_;
  }
  DeskSettings s = DefaultDeskSettings();
  auto systems = store_->ListSystems();
  if (!systems.ok()) return systems.status();
  if (!systems->empty()) s.systems = std::move(*systems);
  auto targets = store_->GetDeskSetting(kTargetsKey);
  if (!targets.ok()) return targets.status();
  if (targets->has_value()) {
    auto j = nlohmann::json::parse(**targets, nullptr, false);
    if (j.is_object()) {
      for (const auto& [p, t] : j.items()) {
        s.targets[p] = {t.value("first_response_minutes", int64_t{0}),
                        t.value("resolution_minutes", int64_t{0})};
      }
    }
  }
  auto hours = store_->GetDeskSetting(kHoursKey);
  if (!hours.ok()) return hours.status();
  if (hours->has_value()) {
    auto j = nlohmann::json::parse(**hours, nullptr, false);
    if (j.is_object()) {
      s.hours.start_minute = j.value("start_minute", s.hours.start_minute);
      s.hours.end_minute = j.value("end_minute", s.hours.end_minute);
    }
  }
  auto subs = store_->ListSubcategories();
  if (!subs.ok()) return subs.status();
  s.subcategories = std::move(*subs);
  std::lock_guard lock(mu_);
  settings_ = s;
  return s;
}

void IncidentService::InvalidateSettings() {
  std::lock_guard lock(mu_);
  settings_.reset();
}

absl::StatusOr<DeskSettings> IncidentService::PutSettings(
    const Principal& who, const std::optional<std::vector<std::string>>& systems,
    const std::optional<std::map<std::string, SlaTarget>>& targets,
    const std::optional<BusinessHours>& hours) {
  if (!Allowed(who, Action::kManageDesk)) {
    return absl::PermissionDeniedError("only an admin may change the desk's settings");
  }
  if (systems) {
    if (systems->empty()) return absl::InvalidArgumentError("systems: at least one");
    for (const std::string& name : *systems) {
      if (auto s = CheckText("systems", name, 100, true); !s.ok()) return s;
    }
  }
  if (targets) {
    for (const auto& [p, t] : *targets) {
      if (!Contains(kPriorities, p)) {
        return absl::InvalidArgumentError(AsAbsl(fmt::format("priorities: unknown priority '{}'", p)));
      }
      if (t.first_response_minutes <= 0 || t.resolution_minutes <= 0 ||
          t.first_response_minutes > t.resolution_minutes) {
        return absl::InvalidArgumentError(AsAbsl(fmt::format(
            "priorities: {} needs 0 < first_response_minutes <= resolution_minutes", p)));
      }
    }
  }
  if (hours && (hours->start_minute < 0 || hours->end_minute > 24 * 60 ||
                hours->start_minute >= hours->end_minute)) {
    return absl::InvalidArgumentError("business_hours: start must be before end, within the day");
  }
  auto current = Settings();
  if (!current.ok()) return current.status();
  if (systems) {
    if (auto s = store_->ReplaceSystems(*systems); !s.ok()) return s;
  }
  if (targets) {
    nlohmann::json j = nlohmann::json::object();
    std::map<std::string, SlaTarget> merged = current->targets;
    for (const auto& [p, t] : *targets) merged[p] = t;
    for (const auto& [p, t] : merged) {
      j[p] = {{"first_response_minutes", t.first_response_minutes},
              {"resolution_minutes", t.resolution_minutes}};
    }
    if (auto s = store_->PutDeskSetting(kTargetsKey, j.dump()); !s.ok()) return s;
  }
  if (hours) {
    nlohmann::json j = {{"start_minute", hours->start_minute}, {"end_minute", hours->end_minute}};
    if (auto s = store_->PutDeskSetting(kHoursKey, j.dump()); !s.ok()) return s;
  }
  InvalidateSettings();
  return Settings();
}

absl::StatusOr<store::SubcategoryRow> IncidentService::AddSubcategory(const Principal& who,
                                                                      const std::string& klass,
                                                                      const std::string& name) {
  if (!Allowed(who, Action::kManageDesk)) {
    return absl::PermissionDeniedError("only an admin may change subcategories");
  }
  if (!Contains(kClasses, klass)) {
    return absl::InvalidArgumentError(
        AsAbsl(fmt::format("class: '{}' is not one of data, program, consultation", klass)));
  }
  if (auto s = CheckText("name", name, 100, true); !s.ok()) return s;
  store::SubcategoryRow row{0, klass, name, false};
  auto id = store_->CreateSubcategory(row);
  if (!id.ok()) return id.status();
  row.id = *id;
  InvalidateSettings();
  return row;
}

absl::StatusOr<store::SubcategoryRow> IncidentService::EditSubcategory(
    const Principal& who, int64_t id, std::optional<std::string> name, std::optional<bool> disabled) {
  if (!Allowed(who, Action::kManageDesk)) {
    return absl::PermissionDeniedError("only an admin may change subcategories");
  }
  auto settings = Settings();
  if (!settings.ok()) return settings.status();
  auto it = std::find_if(settings->subcategories.begin(), settings->subcategories.end(),
                         [&](const auto& s) { return s.id == id; });
  if (it == settings->subcategories.end()) {
    return absl::NotFoundError(AsAbsl(fmt::format("no subcategory {}", id)));
  }
  store::SubcategoryRow row = *it;
  if (name) {
    if (auto s = CheckText("name", *name, 100, true); !s.ok()) return s;
    row.name = *name;
  }
  if (disabled) row.disabled = *disabled;
  if (auto s = store_->UpdateSubcategory(row); !s.ok()) return s;
  InvalidateSettings();
  return row;
}

std::string IncidentService::TimeZoneName() {
  auto cal = calendar_ ? calendar_() : nullptr;
  return cal ? cal->time_zone().name() : "UTC";
}

std::string IncidentService::SubcategoryName(std::optional<int64_t> id) {
  if (!id) return "";
  auto settings = Settings();
  if (!settings.ok()) return "";
  for (const auto& s : settings->subcategories) {
    if (s.id == *id) return s.name;
  }
  return "";
}

absl::Status IncidentService::CheckFields(const DeskSettings& s, const std::string& system,
                                          const std::string& priority, const std::string& klass,
                                          std::optional<int64_t> subcategory_id,
                                          std::string* sub_class) {
  if (!Contains(s.systems, system)) {
    return absl::InvalidArgumentError(AsAbsl(fmt::format(
        "system: '{}' is not one of the desk's systems (GET /api/v1/incidents/meta)", system)));
  }
  if (!Contains(kPriorities, priority)) {
    return absl::InvalidArgumentError(
        AsAbsl(fmt::format("priority: '{}' is not one of P1, P2, P3, P4", priority)));
  }
  if (!klass.empty() && !Contains(kClasses, klass)) {
    return absl::InvalidArgumentError(
        AsAbsl(fmt::format("class: '{}' is not one of data, program, consultation", klass)));
  }
  sub_class->clear();
  if (subcategory_id) {
    auto it = std::find_if(s.subcategories.begin(), s.subcategories.end(),
                           [&](const auto& x) { return x.id == *subcategory_id; });
    if (it == s.subcategories.end()) {
      return absl::InvalidArgumentError(
          AsAbsl(fmt::format("subcategory_id: no subcategory {}", *subcategory_id)));
    }
    if (!klass.empty() && it->klass != klass) {
      return absl::InvalidArgumentError(AsAbsl(fmt::format(
          "subcategory_id: subcategory {} belongs to class {}, not {}", it->id, it->klass, klass)));
    }
    *sub_class = it->klass;
  }
  return absl::OkStatus();
}

}  // namespace vigil::desk
