// External notifications of the incident desk: the desk's events (desk/desk_events.h) rendered
// for the alerting receivers that `desk.notify` names (docs/configuration.md) and queued in the
// same durable outbox as alert notifications, so the Deliverer sends them with its retries and
// backoff, a receiver that is down gets them later, and a restart neither loses nor repeats one.
//
//   desk.notify.new_incident  ← kIncidentCreated
//   desk.notify.transfer      ← kStatusChanged with action "transfer"
//   desk.notify.approval      ← kScriptAdded (waits for ops) and kScriptReviewed
//   desk.notify.sla           ← kSlaAtRisk and kSlaBreached
//   desk.notify.resolution    ← kStatusChanged with action "resolve"
//   desk.notify.reporter_email← public replies by others and "resolve", to the reporter's own
//                               address (desk_reporter_mail.h)
// Internal notes never leave through receivers; replies only to their reporter's address.
//
// Wiring (`vigil serve`): notifier.SetOnEnqueued([&] { deliverer.Notify(); }) and
// incident_service.AddListener(notifier.Listener()); Reload(config) on a new configuration.
//
// Each message's dedup key is built from the event (kind, incident, time, action, message,
// script) and the receiver: an event announced twice is queued once.
//
// Thread safety: every public method may be called from any thread. OnEvent writes the
// rendered messages to the store's outbox (one small insert, no network) and returns.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/config.h"
#include "desk/desk_events.h"
#include "desk/notify_text.h"
#include "store/desk_store.h"
#include "store/incident_store.h"
#include "store/store.h"

namespace vigil::alerting {

struct DeskNotifyStats {
  int64_t enqueued = 0;      // messages queued in the outbox (duplicates not counted)
  int64_t store_errors = 0;  // Enqueue calls that failed (logged; those messages are lost)
};

class DeskNotifier {
 public:
  // `config` must have loaded without errors; `store` must outlive the notifier.
  DeskNotifier(const Config& config, store::Store* store);

  void Reload(const Config& config);
  // Called (outside any lock) after messages were queued: wire it to Deliverer::Notify.
  void SetOnEnqueued(std::function<void()> fn);

  // Queues the messages for `e`; nothing when no receiver is configured for its kind.
  void OnEvent(const desk::DeskEvent& e);
  // OnEvent as a listener for the incident service; the notifier must outlive its use.
  desk::DeskEventListener Listener();

  DeskNotifyStats Stats() const;

 private:
  struct Settings {
    DeskConfig desk;
    std::map<std::string, ReceiverConfig> receivers;
  };

  std::vector<store::Notification> ReceiverMessages(const Settings& s, const desk::DeskEvent& e);
  std::optional<store::Notification> ReporterMessage(const Settings& s, const desk::DeskEvent& e);

  mutable std::mutex mu_;
  std::shared_ptr<const Settings> settings_;
  std::function<void()> on_enqueued_;
  DeskNotifyStats stats_;
  store::Store* const store_;
  store::IncidentStore* const incidents_;  // the same store's desk parts (nullptr: no reporter mail)
  store::DeskStore* const users_;
};

// --- pieces, exposed for tests
// The receivers desk.notify names for `e`'s kind, in the configuration's order.
const std::vector<std::string>& DeskReceiversFor(const DeskConfig& desk, const desk::DeskEvent& e);
// A link template (desk.incident_url, desk.reporter_url) with "{id}" replaced; "" stays "".
std::string IncidentLink(std::string url_template, int64_t incident_id);
// desk.incident_url with "{id}" replaced, or "".
std::string IncidentLink(const DeskConfig& desk, int64_t incident_id);
std::string DeskDedupKey(const desk::DeskEvent& e, const std::string& receiver);
// The outbox payload (render.h's shape) for one receiver. The webhook body is vigil's own:
// {"version": "1", "source": "vigil-desk", "event", "at", "incident": {...}, "actor",
//  "action", "from_status", "to_status", "message_id", "script_id", "script_status",
//  "excerpt", "title", "text", "url"}.
std::string RenderDeskPayload(const ReceiverConfig& receiver, const desk::DeskEvent& e,
                              const desk::NotifyText& text, const std::string& link);

}  // namespace vigil::alerting
