// What happened on an incident, as the incident service announces it after the change is
// committed. Listeners: the in-app notifications and the SSE stream (src/http), and the
// external notifications through the alerting receivers (desk.notify in the configuration).
// A listener must not block: it queues and returns.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <string>
#include <vector>

#include "common/time_util.h"

namespace vigil::desk {

enum class DeskEventKind {
  kIncidentCreated,  // to every handler
  kMessagePosted,    // public: reporter and everyone on it; internal: not the reporter
  kStatusChanged,    // accept, transfer, return, take_back, resolve, confirm, close, reopen
  kAssigned,         // assignee changed
  kUpdated,          // title / priority / class / subcategory / system changed
  kScriptAdded,      // waits for an ops member's approval
  kScriptReviewed,   // approved or rejected: to its author
  kScriptResult,     // executed or failed
  kSlaAtRisk,        // 80% of a target's business time used
  kSlaBreached,      // past due
};

struct DeskEvent {
  DeskEventKind kind = DeskEventKind::kUpdated;
  TimeMs at = 0;
  int64_t incident_id = 0;
  std::string ref;        // INC-000123
  std::string title;
  std::string system;
  std::string priority;   // P1..P4
  std::string actor;      // user name who caused it ("system" for SLA)
  std::string reporter;   // user names
  std::string assignee;   // "" none
  std::string group;      // "" none; with kStatusChanged "transfer": the new group
  std::string action;     // kStatusChanged: accept, transfer, ...; kSla*: "first_response" or "resolution"
  std::string from_status, to_status;
  int64_t message_id = 0;     // kMessagePosted
  bool internal = false;      // kMessagePosted: an internal note
  std::string excerpt;        // first ~200 characters of a message, a cause or a comment
  int64_t script_id = 0;      // kScript*
  std::string script_author;  // kScript*
  std::string script_status;  // kScriptReviewed / kScriptResult: approved, rejected, executed, failed
};

using DeskEventListener = std::function<void(const DeskEvent&)>;

std::string_view DeskEventKindName(DeskEventKind kind);  // "incident_created", ... (desk_events.cc)

}  // namespace vigil::desk
