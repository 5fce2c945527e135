// Payloads for the outbox (render.h): the JSON bodies of webhooks, Alertmanager and robots.
#include <variant>

#include "alerting/render.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace vigil::alerting {
namespace {

using Json = nlohmann::ordered_json;

// WeCom allows 4096 bytes of markdown, DingTalk and Feishu more; one limit keeps them alike.
constexpr size_t kRobotMarkdownBytes = 4000;
// Alertmanager's "not resolved" end time in webhook payloads.
constexpr const char* kZeroTime = "0001-01-01T00:00:00Z";

std::string Rfc3339(TimeMs t, const absl::TimeZone& tz) { return FormatRfc3339(t, tz, true); }

Labels Common(const std::vector<const TrackedAlert*>& all, Labels TrackedAlert::*field) {
  if (all.empty()) return {};
  Labels common = all[0]->*field;
  for (const TrackedAlert* a : all) {
    std::erase_if(common, [&](const auto& kv) {
      auto it = (a->*field).find(kv.first);
      return it == (a->*field).end() || it->second != kv.second;
    });
  }
  return common;
}

Json WebhookBody(const ReceiverConfig& r, const Message& m, const absl::TimeZone& tz) {
  std::vector<const TrackedAlert*> all = m.firing;
  all.insert(all.end(), m.resolved.begin(), m.resolved.end());
  Json alerts = Json::array();
  for (const TrackedAlert* a : all) {
    alerts.push_back({
        {"status", a->firing ? "firing" : "resolved"},
        {"labels", a->labels},
        {"annotations", a->annotations},
        {"startsAt", Rfc3339(a->starts_at, tz)},
        {"endsAt", a->firing ? std::string(kZeroTime) : Rfc3339(*a->ends_at, tz)},
        {"generatorURL", ""},
        {"fingerprint", a->fingerprint},
    });
  }
  return Json{
      {"version", "4"},
      {"groupKey", m.group_key},
      {"truncatedAlerts", 0},
      {"status", m.firing.empty() ? "resolved" : "firing"},
      {"receiver", r.name},
      {"groupLabels", m.group_labels},
      {"commonLabels", Common(all, &TrackedAlert::labels)},
      {"commonAnnotations", Common(all, &TrackedAlert::annotations)},
      {"externalURL", ""},
      {"alerts", std::move(alerts)},
      {"title", Title(m)},
  };
}

// Alertmanager resolves an alert by itself once its endsAt passes, so a firing alert's endsAt
// lies two repeat intervals ahead: every repeat renews it; a vigil that stopped lets it lapse.
Json AlertmanagerBody(const Message& m, const absl::TimeZone& tz) {
  Json alerts = Json::array();
  auto add = [&](const TrackedAlert* a) {
    TimeMs ends = a->firing ? m.now + 2 * m.repeat_interval_ms : *a->ends_at;
    alerts.push_back({
        {"labels", a->labels},
        {"annotations", a->annotations},
        {"startsAt", Rfc3339(a->starts_at, tz)},
        {"endsAt", Rfc3339(ends, tz)},
        {"generatorURL", ""},
    });
  };
  for (const TrackedAlert* a : m.firing) add(a);
  for (const TrackedAlert* a : m.resolved) add(a);
  return alerts;
}

Json FeishuCard(const Message& m, const absl::TimeZone& tz) {
  return Json{
      {"msg_type", "interactive"},
      {"card",
       {{"config", {{"wide_screen_mode", true}}},
        {"header",
         {{"title", {{"tag", "plain_text"}, {"content", Title(m)}}},
          {"template", m.firing.empty() ? "green" : "red"}}},
        {"elements",
         Json::array({{{"tag", "markdown"},
                       {"content", RobotMarkdown(m, tz, kRobotMarkdownBytes)}}})}}},
  };
}

}  // namespace

std::string RenderPayload(const ReceiverConfig& receiver, const Message& m,
                          const absl::TimeZone& tz) {
  Json payload = {{"kind", ReceiverKindName(receiver.kind)}};
  std::visit(
      [&](const auto& k) {
        using K = std::decay_t<decltype(k)>;
        if constexpr (std::is_same_v<K, EmailReceiver>) {
          payload["subject"] = k.subject_prefix.empty()
                                   ? Title(m)
                                   : fmt::format("{} {}", k.subject_prefix, Title(m));
          payload["text"] = EmailText(m, tz);
          payload["html"] = EmailHtml(m, tz);
        } else if constexpr (std::is_same_v<K, WecomReceiver>) {
          payload["body"] = {{"msgtype", "markdown"},
                             {"markdown", {{"content", RobotMarkdown(m, tz, kRobotMarkdownBytes)}}}};
        } else if constexpr (std::is_same_v<K, DingtalkReceiver>) {
          payload["body"] = {{"msgtype", "markdown"},
                             {"markdown",
                              {{"title", Title(m)},
                               {"text", RobotMarkdown(m, tz, kRobotMarkdownBytes)}}}};
        } else if constexpr (std::is_same_v<K, FeishuReceiver>) {
          payload["body"] = FeishuCard(m, tz);
        } else if constexpr (std::is_same_v<K, WebhookReceiver>) {
          payload["body"] = WebhookBody(receiver, m, tz);
        } else {
          payload["body"] = AlertmanagerBody(m, tz);
        }
      },
      receiver.kind);
  return payload.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace vigil::alerting
