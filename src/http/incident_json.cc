#include "http/incident_json.h"

#include "desk/mask.h"
#include "desk/roles.h"
#include "fmt/format.h"

namespace vigil::http {
namespace {

Json Opt(const std::optional<TimeMs>& t) { return t ? Json(*t) : Json(nullptr); }
Json OrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

}  // namespace

std::string IncidentRefOf(int64_t id) { return fmt::format("INC-{:06d}", id); }

Json IncidentJson(const desk::IncidentView& v, bool with_unread) {
  const store::IncidentRow& r = v.row;
  const bool clear = v.customer_in_clear;
  Json customer = {
      {"customer_no", clear ? r.customer_no : desk::MaskCustomerNo(r.customer_no)},
      {"account", clear ? r.account : desk::MaskAccount(r.account)},
      {"name", clear ? r.customer_name : desk::MaskName(r.customer_name)},
      {"phone", clear ? r.phone : desk::MaskPhone(r.phone)}};
  Json out = {{"id", r.id}, {"ref", IncidentRefOf(r.id)}, {"title", r.title},
              {"description", r.description}, {"system", r.system}, {"customer", customer},
              {"occurred_at", Opt(r.occurred_at)}, {"status", r.status},
              {"priority", r.priority}, {"class", OrNull(r.klass)},
              {"subcategory_id", r.subcategory_id ? Json(*r.subcategory_id) : Json(nullptr)},
              {"subcategory", OrNull(v.subcategory)}, {"channel", r.channel},
              {"reporter", r.reporter}, {"assignee", OrNull(r.assignee)},
              {"group", OrNull(r.group)}, {"alert_fingerprint", OrNull(r.alert_fingerprint)},
              {"external_ref", OrNull(r.external_ref)}, {"created_at", r.created_at},
              {"updated_at", r.updated_at}, {"first_response_at", Opt(r.first_response_at)},
              {"resolved_at", Opt(r.resolved_at)}, {"closed_at", Opt(r.closed_at)},
              {"reopened", r.reopened}, {"cause", OrNull(r.cause)},
              {"solution", OrNull(r.solution)},
              {"sla", {{"first_response_due", r.first_response_due},
                       {"resolution_due", r.resolution_due},
                       {"state", r.sla_state},
                       {"first_response_state", r.first_response_state}}},
              {"last_message_at", Opt(r.last_message_at)}};
  if (with_unread) out["unread"] = v.unread;
  return out;
}

Json MessageJson(const store::IncidentMessageRow& m) {
  return {{"id", m.id}, {"incident_id", m.incident_id}, {"author", m.author},
          {"author_role", m.author_role}, {"kind", m.kind}, {"body", m.body},
          {"attachments", m.attachment_ids}, {"created_at", m.created_at}};
}

Json HistoryJson(const store::IncidentHistoryRow& h) {
  Json detail = Json::parse(h.detail_json, nullptr, false);
  if (detail.is_discarded()) detail = h.detail_json;
  return {{"id", h.id}, {"at", h.at}, {"actor", h.actor}, {"action", h.action},
          {"from_status", OrNull(h.from_status)}, {"to_status", OrNull(h.to_status)},
          {"detail", detail}};
}

Json ScriptJson(const store::IncidentScriptRow& x) {
  return {{"id", x.id}, {"incident_id", x.incident_id}, {"author", x.author},
          {"description", x.description}, {"content", x.content}, {"status", x.status},
          {"reviewer", OrNull(x.reviewer)}, {"review_comment", OrNull(x.review_comment)},
          {"reviewed_at", Opt(x.reviewed_at)}, {"executed_by", OrNull(x.executed_by)},
          {"output", OrNull(x.output)}, {"executed_at", Opt(x.executed_at)},
          {"created_at", x.created_at}};
}

Json AttachmentJson(const store::AttachmentRow& a) {
  return {{"id", a.id}, {"incident_id", a.incident_id},
          {"message_id", a.message_id ? Json(*a.message_id) : Json(nullptr)},
          {"filename", a.filename}, {"content_type", a.content_type}, {"size", a.size},
          {"width", a.width}, {"height", a.height}, {"uploader", a.uploader},
          {"url", fmt::format("/api/v1/incidents/attachments/{}", a.id)},
          {"created_at", a.created_at}};
}

Json NotificationJson(const store::DeskNotificationRow& n) {
  // `texts` by language for the pages (which show their own); `text` is the Chinese one.
  return {{"id", n.id}, {"incident_id", n.incident_id}, {"kind", n.kind}, {"text", n.text},
          {"texts", {{"zh", n.text}, {"en", n.text_en.empty() ? n.text : n.text_en}}},
          {"created_at", n.created_at}, {"read_at", Opt(n.read_at)}};
}

std::string ClockText(int minute) { return fmt::format("{:02d}:{:02d}", minute / 60, minute % 60); }

std::optional<int> ParseClockText(std::string_view t) {
  if (t.size() != 5 || t[2] != ':') return std::nullopt;
  auto digit = [&](size_t i) { return t[i] >= '0' && t[i] <= '9' ? t[i] - '0' : -1; };
  const int h1 = digit(0), h2 = digit(1), m1 = digit(3), m2 = digit(4);
  if (h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0) return std::nullopt;
  const int h = h1 * 10 + h2, m = m1 * 10 + m2;
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

Json MetaJson(const desk::DeskSettings& s, const std::string& time_zone) {
  Json classes = Json::array();
  for (const char* klass : {"data", "program", "consultation"}) {
    Json subs = Json::array();
    for (const auto& x : s.subcategories) {
      if (x.klass == klass) subs.push_back({{"id", x.id}, {"name", x.name}, {"disabled", x.disabled}});
    }
    classes.push_back({{"class", klass}, {"subcategories", subs}});
  }
  Json priorities = Json::array();
  for (const auto& [p, t] : s.targets) {
    priorities.push_back({{"priority", p}, {"first_response_minutes", t.first_response_minutes},
                          {"resolution_minutes", t.resolution_minutes}});
  }
  return {{"systems", s.systems}, {"classes", classes}, {"priorities", priorities},
          {"groups", desk::KnownGroups()},
          {"business_hours", {{"start", ClockText(s.hours.start_minute)},
                              {"end", ClockText(s.hours.end_minute)}}},
          {"time_zone", time_zone}};
}

}  // namespace vigil::http
