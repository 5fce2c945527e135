#include "desk/desk_events.h"

namespace vigil::desk {

std::string_view DeskEventKindName(DeskEventKind kind) {
  switch (kind) {
    case DeskEventKind::kIncidentCreated: return "incident_created";
    case DeskEventKind::kMessagePosted: return "message_posted";
    case DeskEventKind::kStatusChanged: return "status_changed";
    case DeskEventKind::kAssigned: return "assigned";
    case DeskEventKind::kUpdated: return "updated";
    case DeskEventKind::kScriptAdded: return "script_added";
    case DeskEventKind::kScriptReviewed: return "script_reviewed";
    case DeskEventKind::kScriptResult: return "script_result";
    case DeskEventKind::kSlaAtRisk: return "sla_at_risk";
    case DeskEventKind::kSlaBreached: return "sla_breached";
  }
  return "unknown";
}

}  // namespace vigil::desk
