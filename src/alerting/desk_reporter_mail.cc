// The mail to a reporter (desk_reporter_mail.h).
#include "alerting/desk_reporter_mail.h"

#include "alerting/desk_notify.h"
#include "alerting/render.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace vigil::alerting {
namespace {

// The reply's full text (the event carries only an excerpt); the excerpt when it is gone.
absl::StatusOr<std::string> ReplyBody(store::IncidentStore& incidents, const desk::DeskEvent& e) {
  auto message = store::FindMessage(incidents, e.incident_id, e.message_id, false);
  if (!message.ok()) return message.status();
  return message->has_value() ? (*message)->body : e.excerpt;
}

}  // namespace

bool MailsReporter(const desk::DeskEvent& e) {
  if (e.kind == desk::DeskEventKind::kMessagePosted) {
    return !e.internal && e.message_id != 0 && e.actor != e.reporter;
  }
  return e.kind == desk::DeskEventKind::kStatusChanged && e.action == "resolve";
}

absl::StatusOr<std::optional<store::Notification>> ReporterMail(const ReceiverConfig& receiver,
                                                                 const DeskConfig& desk,
                                                                 const desk::DeskEvent& e,
                                                                 store::IncidentStore& incidents,
                                                                 store::DeskStore& users) {
  if (!MailsReporter(e)) return std::nullopt;
  auto incident = incidents.GetIncident(e.incident_id);
  if (!incident.ok()) return incident.status();
  if (!incident->has_value() || (*incident)->reporter_id == 0) return std::nullopt;
  auto user = users.GetUserById((*incident)->reporter_id);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return std::nullopt;
  const store::UserRow& reporter = **user;
  if (reporter.disabled || reporter.email.empty() || reporter.name == e.actor) return std::nullopt;

  std::string body, solution;
  if (e.kind == desk::DeskEventKind::kMessagePosted) {
    auto reply = ReplyBody(incidents, e);
    if (!reply.ok()) return reply.status();
    body = std::move(*reply);
  } else {
    body = (*incident)->cause;
    solution = (*incident)->solution;
  }
  const std::string link = IncidentLink(desk.reporter_url, e.incident_id);
  const desk::NotifyText text = desk::RenderReporterMail(e, body, solution, desk.language, link);
  auto payload = nlohmann::json::parse(RenderDeskPayload(receiver, e, text, link));
  payload["to"] = nlohmann::json::array({reporter.email});

  store::Notification n;
  n.dedup_key = DeskDedupKey(e, receiver.name) + ":reporter";
  n.receiver = receiver.name;
  n.group_key = fmt::format("desk:{}", e.ref);
  n.payload_json = payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  n.created_at = e.at;
  n.next_attempt_at = e.at;
  return n;
}

}  // namespace vigil::alerting
