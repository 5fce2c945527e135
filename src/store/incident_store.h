// The incident desk's incidents (issue 5): incidents with their conversation, read marks,
// history, data-fix scripts, image attachments, in-app notifications, and the desk's settings
// (systems, subcategories, SLA targets, business hours). SqlStore implements it on SQLite and
// PostgreSQL (sql_store_incident*.cc); `dynamic_cast<store::IncidentStore*>(&store)`.
//
// Writes go through Commit: one change of one incident, with its history entries, its message,
// script or attachment, and the in-app notifications it causes, all in ONE transaction. An
// update names the version it was computed from (optimistic locking): Aborted when another
// change committed in between, so two handlers accepting at once never both win.
//
// Attachments keep their bytes in the database (BLOB / BYTEA): one backup, one transaction
// (an attachment never exists without its history entry, or the reverse), and PostgreSQL
// shares them between instances with no shared file system. 5 MiB at most each.
//
// Free text is stored byte for byte. Every method is one transaction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/time_util.h"

namespace vigil::store {

struct IncidentRow {
  int64_t id = 0;       // assigned by the store
  int64_t version = 0;  // bumped by every update (Commit checks it)
  std::string title, description, system;
  std::string customer_no, account, customer_name, phone;
  std::optional<TimeMs> occurred_at;
  std::string status = "new";  // new, accepted, transferred, resolved, closed
  std::string priority = "P3";
  std::string klass;  // data, program, consultation, "" unset
  std::optional<int64_t> subcategory_id;
  std::string channel = "mss";
  int64_t reporter_id = 0;  // 0: not a desk user (imported)
  std::string reporter;     // user name (or the ITSM's name when imported)
  std::string assignee;     // "" none
  std::string group;        // "" none
  std::string alert_fingerprint;  // "" none
  std::string external_ref;       // the ITSM's id when imported
  TimeMs created_at = 0, updated_at = 0;
  std::optional<TimeMs> first_response_at, resolved_at, closed_at, last_message_at;
  int64_t reopened = 0;
  std::string cause, solution;
  TimeMs first_response_due = 0, resolution_due = 0;
  std::string sla_state = "ok";             // resolution: ok, at_risk, breached, met, missed
  std::string first_response_state = "ok";  // the same words for the first response
};

struct IncidentMessageRow {
  int64_t id = 0;
  int64_t incident_id = 0;
  std::string author, author_role;
  std::string kind = "public";  // public, internal, system
  std::string body;
  std::vector<int64_t> attachment_ids;  // filled by reads; Commit links them to the message
  TimeMs created_at = 0;
};

struct IncidentHistoryRow {
  int64_t id = 0;
  int64_t incident_id = 0;
  TimeMs at = 0;
  std::string actor, action, from_status, to_status;
  std::string detail_json = "{}";
};

struct IncidentScriptRow {
  int64_t id = 0;
  int64_t incident_id = 0;
  std::string author, description, content;
  std::string status = "pending";  // pending, approved, rejected, executed, failed
  std::string reviewer, review_comment;
  std::optional<TimeMs> reviewed_at;
  std::string executed_by, output;
  std::optional<TimeMs> executed_at;
  TimeMs created_at = 0;
};

struct AttachmentRow {
  int64_t id = 0;
  int64_t incident_id = 0;
  std::optional<int64_t> message_id;
  std::string filename, content_type, uploader;
  int64_t size = 0;
  int width = 0, height = 0;
  std::string bytes;  // only GetAttachment fills it
  TimeMs created_at = 0;
};

struct DeskNotificationRow {
  int64_t id = 0;
  std::string user;  // recipient's user name
  int64_t incident_id = 0;
  std::string kind;  // desk_events.h kind name
  std::string text;  // in Chinese
  TimeMs created_at = 0;
  std::optional<TimeMs> read_at;
  std::string text_en;  // in English ("" in rows from before schema 9)
};

struct SubcategoryRow {
  int64_t id = 0;
  std::string klass, name;
  bool disabled = false;
};

// One change of one incident. `incident.id == 0`: a new incident (inserted; ids written back
// into every part). Otherwise the row replaces the stored one when its version is still
// `incident.version` (then version + 1 is written back), else Aborted.
// A new incident's notifications are written before its id exists: the text kNewIncidentRef
// in them is replaced by the incident's reference (INC-000123) as they are inserted.
inline constexpr std::string_view kNewIncidentRef = "\x01ref\x01";
struct IncidentChange {
  IncidentRow incident;
  std::vector<IncidentHistoryRow> history;           // incident_id filled in
  std::vector<DeskNotificationRow> notifications;    // incident_id filled in
  std::optional<IncidentMessageRow> message;         // inserted; sets last_message_at
  std::optional<IncidentScriptRow> script;           // id 0: inserted, else updated
  std::optional<AttachmentRow> attachment;           // inserted (with its bytes)
};

struct IncidentQuery {
  std::vector<std::string> statuses;  // any of (empty: all)
  std::optional<std::string> system, klass, priority, assignee, group;
  std::vector<std::string> sla_states;  // resolution or first-response state is any of
  std::optional<std::string> sla_state, first_response_state;  // exactly this one
  std::optional<int64_t> reporter_id;
  // A member's scope: reporter_id == scope_reporter_id OR group in scope_groups.
  std::optional<int64_t> scope_reporter_id;
  std::vector<std::string> scope_groups;
  std::optional<std::string> contains;  // title, description or external/ref text
  std::optional<int64_t> ref_id;        // with `contains`: also the incident with this id
  int64_t before_id = 0;                // newest first, ids below this (0: from the newest)
  int limit = 50;
};

class IncidentStore {
 public:
  virtual ~IncidentStore() = default;

  // --- incidents
  virtual absl::Status CommitIncident(IncidentChange* change) = 0;
  // Several changes in one transaction (the ITSM import); all or none.
  virtual absl::Status CommitIncidents(std::vector<IncidentChange>* changes) = 0;
  virtual absl::StatusOr<std::optional<IncidentRow>> GetIncident(int64_t id) = 0;
  virtual absl::StatusOr<std::vector<IncidentRow>> ListIncidents(const IncidentQuery& q) = 0;
  // The newest incident opened from this alert that is not closed.
  virtual absl::StatusOr<std::optional<IncidentRow>> OpenIncidentForAlert(
      const std::string& fingerprint) = 0;
  // Incidents whose status is new, accepted or transferred (the SLA sweep), by id.
  virtual absl::StatusOr<std::vector<IncidentRow>> OpenIncidents() = 0;
  // The ITSM import: which of these external ids are already in the store, with the ref of
  // the incident holding each ("INC-000123"), so a file imported twice adds nothing.
  virtual absl::StatusOr<std::map<std::string, std::string>> FindExternalRefs(
      const std::vector<std::string>& external_refs) = 0;

  // --- conversation. Messages oldest first, ids above `after_id`; internal ones only with
  // include_internal.
  virtual absl::StatusOr<std::vector<IncidentMessageRow>> ListMessages(int64_t incident_id,
                                                                       int64_t after_id, int limit,
                                                                       bool include_internal) = 0;
  // Messages after the user's read mark, per incident of `incident_ids`.
  virtual absl::StatusOr<std::map<int64_t, int64_t>> CountUnread(
      const std::vector<int64_t>& incident_ids, int64_t user_id, bool include_internal) = 0;
  virtual absl::StatusOr<int64_t> GetReadMark(int64_t incident_id, int64_t user_id) = 0;
  // Moves the mark to message_id unless it is already further; returns the mark.
  virtual absl::StatusOr<int64_t> SetReadMark(int64_t incident_id, int64_t user_id,
                                              int64_t message_id) = 0;

  // --- history, scripts, attachments (lists by id, without attachment bytes)
  virtual absl::StatusOr<std::vector<IncidentHistoryRow>> ListHistory(int64_t incident_id) = 0;
  virtual absl::StatusOr<std::vector<IncidentScriptRow>> ListScripts(int64_t incident_id) = 0;
  virtual absl::StatusOr<std::optional<IncidentScriptRow>> GetScript(int64_t id) = 0;
  virtual absl::StatusOr<std::vector<AttachmentRow>> ListAttachments(int64_t incident_id) = 0;
  virtual absl::StatusOr<std::optional<AttachmentRow>> GetAttachment(int64_t id) = 0;  // + bytes

  // --- in-app notifications, newest first
  virtual absl::StatusOr<std::vector<DeskNotificationRow>> ListDeskNotifications(
      const std::string& user, bool unread_only, int limit) = 0;
  virtual absl::StatusOr<int64_t> CountUnreadDeskNotifications(const std::string& user) = 0;
  // Marks `ids` (empty: all) of the user read at `at`; returns the user's unread count after.
  virtual absl::StatusOr<int64_t> MarkDeskNotificationsRead(const std::string& user,
                                                            const std::vector<int64_t>& ids,
                                                            TimeMs at) = 0;

  // --- settings: systems (ordered), subcategories, and small JSON values by key
  virtual absl::StatusOr<std::vector<std::string>> ListSystems() = 0;
  virtual absl::Status ReplaceSystems(const std::vector<std::string>& systems) = 0;
  virtual absl::StatusOr<std::vector<SubcategoryRow>> ListSubcategories() = 0;  // by id
  virtual absl::StatusOr<int64_t> CreateSubcategory(const SubcategoryRow& row) = 0;
  virtual absl::Status UpdateSubcategory(const SubcategoryRow& row) = 0;  // NotFound
  virtual absl::StatusOr<std::optional<std::string>> GetDeskSetting(const std::string& key) = 0;
  virtual absl::Status PutDeskSetting(const std::string& key, const std::string& json) = 0;
};

// Message `message_id` of the incident, or nullopt when it is not there (or is internal and
// `include_internal` is false).
inline absl::StatusOr<std::optional<IncidentMessageRow>> FindMessage(IncidentStore& store,
                                                                     int64_t incident_id,
                                                                     int64_t message_id,
                                                                     bool include_internal) {
  auto rows = store.ListMessages(incident_id, message_id - 1, 1, include_internal);
  if (!rows.ok()) return rows.status();
  if (rows->empty() || rows->front().id != message_id) return std::nullopt;
  return std::move(rows->front());
}

}  // namespace vigil::store
