// JSON shapes of the desk's incidents API (docs/desk-api.md): incidents as one caller sees
// them (customer identifiers masked for those who do not need them), messages, history,
// scripts, attachments, notifications and the meta object. Times are epoch milliseconds.
// Shared by the routes and the incident stream.
#pragma once

#include "desk/incidents.h"
#include "http/http_util.h"

namespace vigil::http {

std::string IncidentRefOf(int64_t id);  // "INC-000123"
Json IncidentJson(const desk::IncidentView& v, bool with_unread = true);
Json MessageJson(const store::IncidentMessageRow& m);
Json HistoryJson(const store::IncidentHistoryRow& h);
Json ScriptJson(const store::IncidentScriptRow& x);
Json AttachmentJson(const store::AttachmentRow& a);
Json NotificationJson(const store::DeskNotificationRow& n);
Json MetaJson(const desk::DeskSettings& s, const std::string& time_zone);
// "08:30" for 510; and back (nullopt when not HH:MM).
std::string ClockText(int minute_of_day);
std::optional<int> ParseClockText(std::string_view text);

}  // namespace vigil::http
