// Desk events into the outbox (desk_notify.h).
#include "alerting/desk_notify.h"

#include <variant>

#include "alerting/desk_reporter_mail.h"
#include "alerting/render.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"

namespace vigil::alerting {
namespace {

using Json = nlohmann::ordered_json;

// The same markdown limit as alert messages (render.cc): WeCom takes 4096 bytes.
constexpr size_t kRobotMarkdownBytes = 4000;

Json WebhookBody(const desk::DeskEvent& e, const desk::NotifyText& t, const std::string& link) {
  return Json{
      {"version", "1"},
      {"source", "vigil-desk"},
      {"event", desk::DeskEventKindName(e.kind)},
      {"at", e.at},
      {"incident",
       {{"id", e.incident_id},
        {"ref", e.ref},
        {"title", e.title},
        {"system", e.system},
        {"priority", e.priority},
        {"reporter", e.reporter},
        {"assignee", e.assignee},
        {"group", e.group}}},
      {"actor", e.actor},
      {"action", e.action},
      {"from_status", e.from_status},
      {"to_status", e.to_status},
      {"message_id", e.message_id},
      {"script_id", e.script_id},
      {"script_status", e.script_status},
      {"excerpt", e.excerpt},
      {"title", t.title},
      {"text", t.text},
      {"url", link},
  };
}

std::string EmailHtml(const desk::NotifyText& t) {
  std::string body;
  size_t start = 0;
  while (start <= t.text.size()) {
    size_t nl = t.text.find('\n', start);
    if (nl == std::string::npos) nl = t.text.size();
    if (nl > start)
      body += fmt::format("<p>{}</p>\n", HtmlEscape(t.text.substr(start, nl - start)));
    start = nl + 1;
  }
  return fmt::format(
      "<!DOCTYPE html>\n<html><body style=\"font-family: sans-serif\">\n<h3>{}</h3>\n{}</body>"
      "</html>\n",
      HtmlEscape(t.title), body);
}

}  // namespace

const std::vector<std::string>& DeskReceiversFor(const DeskConfig& desk, const desk::DeskEvent& e) {
  static const std::vector<std::string> kNone;
  const DeskNotifyConfig& n = desk.notify;
  switch (e.kind) {
    case desk::DeskEventKind::kIncidentCreated:
      return n.new_incident;
    case desk::DeskEventKind::kStatusChanged:
      if (e.action == "transfer") return n.transfer;
      if (e.action == "resolve") return n.resolution;
      return kNone;
    case desk::DeskEventKind::kScriptAdded:
    case desk::DeskEventKind::kScriptReviewed:
      return n.approval;
    case desk::DeskEventKind::kSlaAtRisk:
    case desk::DeskEventKind::kSlaBreached:
      return n.sla;
    default:
      return kNone;
  }
}

std::string IncidentLink(std::string url_template, int64_t incident_id) {
  const size_t at = url_template.find("{id}");
  if (at != std::string::npos) url_template.replace(at, 4, std::to_string(incident_id));
  return url_template;
}

std::string IncidentLink(const DeskConfig& desk, int64_t incident_id) {
  return IncidentLink(desk.incident_url, incident_id);
}

std::string DeskDedupKey(const desk::DeskEvent& e, const std::string& receiver) {
  return fmt::format("desk:{}:{}:{}:{}:{}:{}:{}:{}", desk::DeskEventKindName(e.kind), e.incident_id,
                     e.at, e.action, e.message_id, e.script_id, e.script_status, receiver);
}

std::string RenderDeskPayload(const ReceiverConfig& receiver, const desk::DeskEvent& e,
                              const desk::NotifyText& t, const std::string& link) {
  Json payload = {{"kind", ReceiverKindName(receiver.kind)}};
  const std::string markdown = CutUtf8(t.markdown, kRobotMarkdownBytes);
  std::visit(
      [&](const auto& k) {
        using K = std::decay_t<decltype(k)>;
        if constexpr (std::is_same_v<K, EmailReceiver>) {
          payload["subject"] =
              k.subject_prefix.empty() ? t.title : fmt::format("{} {}", k.subject_prefix, t.title);
          payload["text"] = t.text;
          payload["html"] = EmailHtml(t);
        } else if constexpr (std::is_same_v<K, WecomReceiver>) {
          payload["body"] = {{"msgtype", "markdown"}, {"markdown", {{"content", markdown}}}};
        } else if constexpr (std::is_same_v<K, DingtalkReceiver>) {
          payload["body"] = {{"msgtype", "markdown"},
                             {"markdown", {{"title", t.title}, {"text", markdown}}}};
        } else if constexpr (std::is_same_v<K, FeishuReceiver>) {
          payload["body"] = {
              {"msg_type", "interactive"},
              {"card",
               {{"config", {{"wide_screen_mode", true}}},
                {"header",
                 {{"title", {{"tag", "plain_text"}, {"content", t.title}}}, {"template", "blue"}}},
                {"elements", Json::array({{{"tag", "markdown"}, {"content", markdown}}})}}}};
        } else {
          // Webhooks get vigil's own JSON; Alertmanager receivers are refused by the config.
          payload["body"] = WebhookBody(e, t, link);
        }
      },
      receiver.kind);
  return payload.dump(-1, ' ', false, Json::error_handler_t::replace);
}

DeskNotifier::DeskNotifier(const Config& config, store::Store* store)
    : store_(store),
      incidents_(dynamic_cast<store::IncidentStore*>(store)),
      users_(dynamic_cast<store::DeskStore*>(store)) {
  Reload(config);
}

void DeskNotifier::Reload(const Config& config) {
  auto s = std::make_shared<Settings>(Settings{config.desk, config.alerting.receivers});
  std::lock_guard<std::mutex> lock(mu_);
  settings_ = std::move(s);
}

void DeskNotifier::SetOnEnqueued(std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  on_enqueued_ = std::move(fn);
}

void DeskNotifier::OnEvent(const desk::DeskEvent& e) {
  std::shared_ptr<const Settings> s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    s = settings_;
  }
  std::vector<store::Notification> batch = ReceiverMessages(*s, e);
  if (auto mail = ReporterMessage(*s, e)) batch.push_back(std::move(*mail));
  if (batch.empty()) return;
  const absl::Status st = store_->Enqueue(&batch);
  std::function<void()> notify;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!st.ok()) {
      ++stats_.store_errors;
    } else {
      for (const auto& n : batch) stats_.enqueued += n.id != 0 ? 1 : 0;
    }
    notify = on_enqueued_;
  }
  if (!st.ok()) {
    spdlog::error("desk notifications for {} ({}) not queued: {}", e.ref,
                  desk::DeskEventKindName(e.kind), st.ToString());
    return;
  }
  if (notify) notify();
}

std::vector<store::Notification> DeskNotifier::ReceiverMessages(const Settings& s,
                                                                const desk::DeskEvent& e) {
  std::vector<store::Notification> batch;
  const std::vector<std::string>& names = DeskReceiversFor(s.desk, e);
  if (names.empty()) return batch;
  const std::string link = IncidentLink(s.desk, e.incident_id);
  const desk::NotifyText text = desk::RenderDeskEvent(e, s.desk.language, link);
  for (const std::string& name : names) {
    auto it = s.receivers.find(name);
    if (it == s.receivers.end()) continue;  // the loader checked; a reload may race
    store::Notification n;
    n.dedup_key = DeskDedupKey(e, name);
    n.receiver = name;
    n.group_key = fmt::format("desk:{}", e.ref);
    n.payload_json = RenderDeskPayload(it->second, e, text, link);
    n.created_at = e.at;
    n.next_attempt_at = e.at;
    batch.push_back(std::move(n));
  }
  return batch;
}

std::optional<store::Notification> DeskNotifier::ReporterMessage(const Settings& s,
                                                                 const desk::DeskEvent& e) {
  if (s.desk.notify.reporter_email.empty() || !MailsReporter(e)) return std::nullopt;
  auto it = s.receivers.find(s.desk.notify.reporter_email);
  if (it == s.receivers.end() || incidents_ == nullptr || users_ == nullptr) return std::nullopt;
  auto mail = ReporterMail(it->second, s.desk, e, *incidents_, *users_);
  if (!mail.ok()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++stats_.store_errors;
    }
    spdlog::error("the mail to the reporter of {} ({}) was not made: {}", e.ref,
                  desk::DeskEventKindName(e.kind), mail.status().ToString());
    return std::nullopt;
  }
  return std::move(*mail);
}

desk::DeskEventListener DeskNotifier::Listener() {
  return [this](const desk::DeskEvent& e) { OnEvent(e); };
}

DeskNotifyStats DeskNotifier::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace vigil::alerting
