// Private to the incident service's files (incidents*.cc, incident_*.cc): a change being built.
#pragma once

#include <vector>

#include "desk/incidents.h"

namespace vigil::desk {

struct IncidentService::Pending {
  const Principal* who = nullptr;
  TimeMs now = 0;
  store::IncidentChange change;  // change.incident: the row being edited
  std::vector<DeskEvent> events;  // announced after the commit

  store::IncidentRow& row() { return change.incident; }
  void History(std::string action, std::string from, std::string to, std::string detail = "{}") {
    change.history.push_back({0, 0, now, who->name, std::move(action), std::move(from),
                              std::move(to), std::move(detail)});
  }
};

// The first ~200 bytes of a text, cut at a UTF-8 character boundary.
std::string Excerpt(std::string_view text);
// "INC-000123".
std::string IncidentRef(int64_t id);
// Field checks shared by the service's files: InvalidArgument naming the field.
absl::Status CheckText(std::string_view field, std::string_view value, size_t max_bytes,
                       bool required);

}  // namespace vigil::desk
