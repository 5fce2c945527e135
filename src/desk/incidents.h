// The incident service: every use of the desk's incidents (docs/desk-api.md), authorised
// through desk::Allowed only, on the IncidentStore. No HTTP, no SQL.
//
// - A caller who may not read an incident gets NotFound for it (never PermissionDenied), so
//   ids cannot be probed; a reader who may not take a step gets PermissionDenied; a step the
//   lifecycle table (incident_lifecycle.h) has no row for gets FailedPrecondition.
// - Each change is one store transaction with its history entries and in-app notifications;
//   a change that lost a race (another committed first) is recomputed from the new state.
// - After each commit the change is announced as DeskEvents to the listeners, and the new
//   notification rows to the notification listeners (the SSE stream, external delivery).
// - SLA due times and states in business time (BusinessClock) on the monitoring calendar.
//
// Thread safety: every method may be called from several threads at once.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/calendar.h"
#include "common/clock.h"
#include "desk/business_time.h"
#include "desk/desk_events.h"
#include "desk/incident_lifecycle.h"
#include "desk/itsm_import.h"
#include "desk/principal.h"
#include "store/desk_store.h"
#include "store/incident_store.h"

namespace vigil::desk {

struct SlaTarget {
  int64_t first_response_minutes = 0;
  int64_t resolution_minutes = 0;
};

// The admin-editable settings (GET/PUT /api/v1/incidents/settings, meta).
struct DeskSettings {
  std::vector<std::string> systems;
  std::map<std::string, SlaTarget> targets;  // by priority P1..P4
  BusinessHours hours;
  std::vector<store::SubcategoryRow> subcategories;
};
// The defaults of docs/desk-api.md (systems: 开户, 交易, 账户, 理财, 其他).
DeskSettings DefaultDeskSettings();

struct NewIncident {
  std::string title, description, system;
  std::string customer_no, account, customer_name, phone;
  std::optional<TimeMs> occurred_at;
  std::optional<std::string> priority, klass, channel;
  std::optional<int64_t> subcategory_id;
};

struct IncidentEdit {
  std::optional<std::string> title, priority, klass, system;
  std::optional<int64_t> subcategory_id;  // 0: none
};

struct StepArgs {
  std::string assignee = "";  // assign
  std::string group = "";     // transfer
  std::string note = "";      // transfer, return, close; the reason of reopen
  std::string cause = "", solution = "";  // resolve
};

struct IncidentFilter {
  std::vector<std::string> statuses;
  std::optional<std::string> system, klass, priority, assignee, group, reporter;  // "me" allowed
  std::vector<std::string> sla;  // at_risk, breached
  std::optional<std::string> q;
  int64_t before_id = 0;
  int limit = 50;
};

// An incident as one caller sees it.
struct IncidentView {
  store::IncidentRow row;
  std::string subcategory;  // the name, "" none
  int64_t unread = 0;
  bool customer_in_clear = false;
};

struct IncidentPage {
  std::vector<IncidentView> items;
  int64_t next_before_id = 0;  // 0: no more
};

struct IncidentDetail {
  IncidentView incident;
  std::vector<store::IncidentHistoryRow> history;
  std::vector<store::IncidentScriptRow> scripts;
  std::vector<store::AttachmentRow> attachments;
};

struct MessagePage {
  std::vector<store::IncidentMessageRow> messages;
  int64_t read_mark = 0;
};

struct ImportOutcome {
  int rows = 0;
  int valid = 0;
  std::vector<ImportError> errors;
  int imported = 0;
};

// What opening an incident from an alert needs of the monitoring side.
struct AlertDetails {
  std::string fingerprint, rule, severity, summary;
  std::string key_text;                // "txn=1001 channel=mobile"
  std::vector<std::string> records;    // its abnormal records, as text lines
  TimeMs started_at = 0;
};

using NotificationListener = std::function<void(const std::vector<store::DeskNotificationRow>&)>;
// The monitoring calendar now (the configuration may be reloaded).
using CalendarSource = std::function<std::shared_ptr<const Calendar>()>;

class IncidentService {
 public:
  IncidentService(store::IncidentStore* store, store::DeskStore* users, Clock* clock,
                  CalendarSource calendar);

  // Listeners are added before serving starts; each must return quickly (it queues).
  void AddListener(DeskEventListener listener);
  void AddNotificationListener(NotificationListener listener);

  // --- settings
  absl::StatusOr<DeskSettings> Settings();
  // The active handlers and admins an incident may be assigned to, by name; empty for a
  // caller who may not handle incidents (reporters and members do not list the team).
  absl::StatusOr<std::vector<std::string>> Assignees(const Principal& who);
  // Each present part replaces the stored one; kManageDesk.
  absl::StatusOr<DeskSettings> PutSettings(const Principal& who,
                                           const std::optional<std::vector<std::string>>& systems,
                                           const std::optional<std::map<std::string, SlaTarget>>& targets,
                                           const std::optional<BusinessHours>& hours);
  absl::StatusOr<store::SubcategoryRow> AddSubcategory(const Principal& who, const std::string& klass,
                                                       const std::string& name);
  absl::StatusOr<store::SubcategoryRow> EditSubcategory(const Principal& who, int64_t id,
                                                        std::optional<std::string> name,
                                                        std::optional<bool> disabled);
  std::string TimeZoneName();

  // --- incidents
  absl::StatusOr<IncidentView> Create(const Principal& who, const NewIncident& in);
  absl::StatusOr<IncidentPage> List(const Principal& who, const IncidentFilter& f);
  absl::StatusOr<IncidentDetail> Get(const Principal& who, int64_t id);
  // The incident if `who` may read it (NotFound otherwise), as they see it.
  absl::StatusOr<IncidentView> View(const Principal& who, int64_t id);
  absl::StatusOr<IncidentView> Update(const Principal& who, int64_t id, const IncidentEdit& edit);
  absl::StatusOr<IncidentView> Act(const Principal& who, int64_t id, LifecycleAction action,
                                   const StepArgs& args);

  // --- conversation
  absl::StatusOr<MessagePage> Messages(const Principal& who, int64_t id, int64_t after_id, int limit);
  absl::StatusOr<store::IncidentMessageRow> Post(const Principal& who, int64_t id,
                                                 const std::string& body, bool internal,
                                                 const std::vector<int64_t>& attachment_ids);
  absl::StatusOr<int64_t> MarkRead(const Principal& who, int64_t id, int64_t message_id);
  // Whether `who` sees internal notes of this incident.
  static bool SeesInternal(const Principal& who, const store::IncidentRow& row);
  static bool MayRead(const Principal& who, const store::IncidentRow& row);
  // Whether `who` sees the customer's identifiers in clear (those who handle incidents, and the
  // reporter): the one way two readers' views of an incident differ.
  static bool CustomerInClear(const Principal& who, const store::IncidentRow& row);
  IncidentView ViewOf(const Principal& who, store::IncidentRow row);

  // --- attachments (bytes checked by content: OutOfRange → 413, InvalidArgument → 415)
  absl::StatusOr<store::AttachmentRow> Attach(const Principal& who, int64_t id,
                                              const std::string& filename, std::string bytes);
  absl::StatusOr<store::AttachmentRow> Attachment(const Principal& who, int64_t attachment_id);

  // --- data-fix scripts
  absl::StatusOr<store::IncidentScriptRow> AddScript(const Principal& who, int64_t id,
                                                     const std::string& description,
                                                     const std::string& content);
  absl::StatusOr<store::IncidentScriptRow> Review(const Principal& who, int64_t id,
                                                  int64_t script_id, bool approve,
                                                  const std::string& comment);
  absl::StatusOr<store::IncidentScriptRow> RecordResult(const Principal& who, int64_t id,
                                                        int64_t script_id, bool succeeded,
                                                        const std::string& output);

  // --- from an alert, and the ITSM import. FromAlert: `created` false when an open incident
  // for the alert existed already (returned as is).
  absl::StatusOr<IncidentView> FromAlert(const Principal& who, const AlertDetails& alert,
                                         bool* created);
  absl::StatusOr<ImportOutcome> Import(const Principal& who, std::string_view csv,
                                       const ImportMapping& mapping, bool dry_run);

  // --- in-app notifications of the caller
  absl::StatusOr<std::vector<store::DeskNotificationRow>> Notifications(const Principal& who,
                                                                        bool unread_only, int limit);
  absl::StatusOr<int64_t> UnreadNotifications(const Principal& who);
  absl::StatusOr<int64_t> ReadNotifications(const Principal& who, const std::vector<int64_t>& ids);

  // The SLA sweep: marks open incidents at_risk / breached (each once), with history,
  // notifications and events. Returns how many incidents changed. Called periodically.
  absl::StatusOr<int> SweepSla();

  store::IncidentStore& store() { return *store_; }

 private:
  struct Pending;  // a change being built (incidents_change.cc)
  using MutateFn = std::function<absl::Status(Pending&)>;
  // Loads `id` (NotFound unless `who` may read it), runs fn on a copy, commits, announces, and
  // returns the change as written (ids filled);
  // recomputes up to 3 times when another change won the race.
  absl::StatusOr<store::IncidentChange> Mutate(const Principal& who, int64_t id,
                                               const MutateFn& fn);
  absl::Status CommitAndAnnounce(Pending& p);
  // The import's guard against tickets already in the store or twice in the file.
  absl::Status DropAlreadyImported(ImportResult* parsed);
  absl::StatusOr<store::IncidentRow> Readable(const Principal& who, int64_t id);
  void Notify(Pending& p, const DeskEvent& e);
  DeskEvent EventOf(const store::IncidentRow& r, DeskEventKind kind, const std::string& actor);
  absl::StatusOr<std::vector<std::string>> UsersWhere(const std::function<bool(const store::UserRow&)>& f);

  // SLA (incident_sla.cc)
  void ComputeDue(const DeskSettings& s, store::IncidentRow* r);
  void RecordFirstResponse(store::IncidentRow* r, TimeMs now);
  void RefreshSlaStates(store::IncidentRow* r, TimeMs now, bool raise = false);
  absl::Status SweepOne(store::IncidentRow row, TimeMs now, bool* changed);

  absl::Status CheckFields(const DeskSettings& s, const std::string& system,
                           const std::string& priority, const std::string& klass,
                           std::optional<int64_t> subcategory_id, std::string* sub_class);
  std::string SubcategoryName(std::optional<int64_t> id);
  void InvalidateSettings();

  store::IncidentStore* store_;
  store::DeskStore* users_;
  Clock* clock_;
  CalendarSource calendar_;
  std::mutex mu_;
  std::optional<DeskSettings> settings_;  // cache, guarded by mu_
  std::vector<DeskEventListener> listeners_;
  std::vector<NotificationListener> notification_listeners_;
};

}  // namespace vigil::desk
