// The Store written once over SqlDriver (sql.h): every method is one Read or Write
// transaction on the driver, with the same SQL for SQLite and PostgreSQL.
//
// Choices the interface leaves open (store.h), stated here once:
// - LoadHistory returns each day's codes ordered by txn and recon results by check name; the
//   minute counts in canonical form (history_codec.h). A day stored with no codes comes back.
// - QueryEvents returns events without their abnormal records (GetEvent has them).
// - AlertStates: firing alerts, and with include_resolved those resolved at or after
//   resolved_since; ordered by started_at, rule, key.
// - A resolved event for an alert the store never saw firing records a closed episode that
//   starts and ends at that event.
// - Acknowledgements: an alert is acknowledged at most once at a time (acknowledging again
//   replaces who, comment and time, and logs again). Withdrawing one that is not there changes
//   and logs nothing. QueryAckLog orders by id, newest first.
// - ExpireSilence sets ends_at = now, and starts_at = now for a silence that had not started;
//   a silence that already ended keeps its times.
// - Enqueue stores each notification as pending with no attempts (the state fields given are
//   ignored); a skipped duplicate gets id 0 written back.
// - DueNotifications orders by created_at, then id (oldest first). MarkDelivered, MarkRetry
//   and MarkGaveUp each count one attempt; each is NotFound for an unknown id.
#pragma once

#include <memory>
#include <string>

#include "store/desk_store.h"
#include "store/incident_store.h"
#include "store/sql.h"
#include "store/store.h"

namespace vigil::store {

// It is also the desk's store (desk_store.h) and the incidents' (incident_store.h):
// `dynamic_cast<DeskStore*>(&store)`, `dynamic_cast<IncidentStore*>(&store)`.
class SqlStore final : public Store, public DeskStore, public IncidentStore {
 public:
  // Applies the missing migrations up to `target_version` (0: all this binary knows) and
  // returns the store; FailedPrecondition for a database from a newer vigil.
  static absl::StatusOr<std::unique_ptr<Store>> Open(std::unique_ptr<SqlDriver> driver,
                                                     int target_version = 0);

  std::string backend() const override { return db_->backend(); }
  int schema_version() const override { return schema_version_; }

  absl::StatusOr<std::optional<std::string>> GetMeta(const std::string& key) override;
  absl::Status PutMeta(const std::string& key, const std::string& value) override;

  absl::Status PutHistoryDay(const HistoryDay& day) override;
  absl::StatusOr<std::vector<HistoryDay>> LoadHistory(LocalDay from, LocalDay to) override;
  absl::StatusOr<int64_t> PruneHistory(LocalDay before, int limit) override;
  absl::StatusOr<int64_t> HistoryBytes() override;

  absl::Status CommitMinute(TimeMs minute, std::vector<AlertEventRow>* events) override;
  absl::StatusOr<std::optional<TimeMs>> Checkpoint() override;
  absl::StatusOr<std::vector<AlertEventRow>> QueryEvents(const EventQuery& q) override;
  absl::StatusOr<std::optional<AlertEventRow>> GetEvent(int64_t id) override;
  absl::StatusOr<std::vector<AlertStateRow>> AlertStates(bool include_resolved,
                                                         TimeMs resolved_since) override;

  absl::Status AcknowledgeAlert(const std::string& rule, const std::string& key_json,
                                const AlertAck& ack) override;
  absl::StatusOr<bool> UnacknowledgeAlert(const std::string& rule, const std::string& key_json,
                                          const AlertAck& who) override;
  absl::StatusOr<std::vector<AckLogEntry>> QueryAckLog(const AckLogQuery& q) override;

  absl::StatusOr<int64_t> CreateSilence(const Silence& s) override;
  absl::Status UpdateSilence(const Silence& s) override;
  absl::Status ExpireSilence(int64_t id, TimeMs now) override;
  absl::StatusOr<std::optional<Silence>> GetSilence(int64_t id) override;
  absl::StatusOr<std::vector<Silence>> ListSilences(TimeMs now, bool include_expired) override;

  absl::Status Enqueue(std::vector<Notification>* batch) override;
  absl::StatusOr<std::vector<Notification>> DueNotifications(TimeMs now, int limit) override;
  absl::Status MarkDelivered(int64_t id, TimeMs at) override;
  absl::Status MarkRetry(int64_t id, TimeMs next_attempt_at, const std::string& error) override;
  absl::Status MarkGaveUp(int64_t id, const std::string& error) override;
  absl::StatusOr<OutboxStats> Outbox() override;
  absl::StatusOr<std::optional<TimeMs>> NextAttempt() override;

  absl::StatusOr<std::optional<std::string>> GetGroupState(const std::string& group_key) override;
  absl::Status PutGroupState(const std::string& group_key, const std::string& json) override;
  absl::Status DeleteGroupState(const std::string& group_key) override;
  absl::Status WriteGroupStates(const std::vector<std::pair<std::string, std::string>>& put,
                                const std::vector<std::string>& erase) override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> GroupStates() override;

  absl::StatusOr<int64_t> Prune(PruneKind kind, TimeMs before, int limit) override;

  absl::StatusOr<std::optional<std::string>> GetOffset(const std::string& source) override;
  absl::Status PutOffset(const std::string& source, const std::string& value) override;

  // --- DeskStore (sql_store_desk*.cc)
  absl::StatusOr<int64_t> CountUsers() override;
  absl::StatusOr<int64_t> CreateUser(const UserRow& user) override;
  absl::StatusOr<std::optional<UserRow>> GetUser(const std::string& name) override;
  absl::StatusOr<std::optional<UserRow>> GetUserById(int64_t id) override;
  absl::StatusOr<std::vector<UserRow>> ListUsers() override;
  absl::Status UpdateUser(const UserRow& user) override;
  absl::Status CreateSession(const SessionRow& session) override;
  absl::StatusOr<std::optional<SessionRow>> GetSession(const std::string& token_hash) override;
  absl::Status TouchSession(const std::string& token_hash, TimeMs last_seen_at) override;
  absl::StatusOr<bool> DeleteSession(const std::string& token_hash) override;
  absl::StatusOr<int64_t> DeleteUserSessions(int64_t user_id, const std::string& keep_hash) override;
  absl::StatusOr<int64_t> PruneSessions(TimeMs created_before, TimeMs seen_before) override;
  absl::StatusOr<int64_t> CreateApiToken(const ApiTokenRow& token) override;
  absl::StatusOr<std::optional<ApiTokenRow>> GetApiToken(const std::string& token_hash) override;
  absl::StatusOr<std::optional<ApiTokenRow>> GetApiTokenById(int64_t id) override;
  absl::StatusOr<std::vector<ApiTokenRow>> ListApiTokens(int64_t user_id) override;
  absl::Status RevokeApiToken(int64_t id, TimeMs at) override;
  absl::Status TouchApiToken(int64_t id, TimeMs at) override;
  absl::StatusOr<int64_t> AppendAudit(const AuditEntry& entry) override;
  absl::StatusOr<std::vector<AuditEntry>> QueryAudit(const AuditQuery& q) override;

  // --- IncidentStore (sql_store_incident*.cc)
  absl::Status CommitIncident(IncidentChange* change) override;
  absl::Status CommitIncidents(std::vector<IncidentChange>* changes) override;
  absl::StatusOr<std::optional<IncidentRow>> GetIncident(int64_t id) override;
  absl::StatusOr<std::vector<IncidentRow>> ListIncidents(const IncidentQuery& q) override;
  absl::StatusOr<std::map<std::string, std::string>> FindExternalRefs(
      const std::vector<std::string>& external_refs) override;
  absl::StatusOr<std::optional<IncidentRow>> OpenIncidentForAlert(
      const std::string& fingerprint) override;
  absl::StatusOr<std::vector<IncidentRow>> OpenIncidents() override;
  absl::StatusOr<std::vector<IncidentMessageRow>> ListMessages(int64_t incident_id,
                                                               int64_t after_id, int limit,
                                                               bool include_internal) override;
  absl::StatusOr<std::map<int64_t, int64_t>> CountUnread(const std::vector<int64_t>& incident_ids,
                                                         int64_t user_id,
                                                         bool include_internal) override;
  absl::StatusOr<int64_t> GetReadMark(int64_t incident_id, int64_t user_id) override;
  absl::StatusOr<int64_t> SetReadMark(int64_t incident_id, int64_t user_id,
                                      int64_t message_id) override;
  absl::StatusOr<std::vector<IncidentHistoryRow>> ListHistory(int64_t incident_id) override;
  absl::StatusOr<std::vector<IncidentScriptRow>> ListScripts(int64_t incident_id) override;
  absl::StatusOr<std::optional<IncidentScriptRow>> GetScript(int64_t id) override;
  absl::StatusOr<std::vector<AttachmentRow>> ListAttachments(int64_t incident_id) override;
  absl::StatusOr<std::optional<AttachmentRow>> GetAttachment(int64_t id) override;
  absl::StatusOr<std::vector<DeskNotificationRow>> ListDeskNotifications(const std::string& user,
                                                                         bool unread_only,
                                                                         int limit) override;
  absl::StatusOr<int64_t> CountUnreadDeskNotifications(const std::string& user) override;
  absl::StatusOr<int64_t> MarkDeskNotificationsRead(const std::string& user,
                                                    const std::vector<int64_t>& ids,
                                                    TimeMs at) override;
  absl::StatusOr<std::vector<std::string>> ListSystems() override;
  absl::Status ReplaceSystems(const std::vector<std::string>& systems) override;
  absl::StatusOr<std::vector<SubcategoryRow>> ListSubcategories() override;
  absl::StatusOr<int64_t> CreateSubcategory(const SubcategoryRow& row) override;
  absl::Status UpdateSubcategory(const SubcategoryRow& row) override;
  absl::StatusOr<std::optional<std::string>> GetDeskSetting(const std::string& key) override;
  absl::Status PutDeskSetting(const std::string& key, const std::string& json) override;

 private:
  explicit SqlStore(std::unique_ptr<SqlDriver> db) : db_(std::move(db)) {}
  absl::Status Migrate(int target_version);
  // The first column of the row `sql` finds by one text key, if any.
  absl::StatusOr<std::optional<std::string>> TextByKey(std::string_view sql, const std::string& key);
  // Runs one write statement whose RETURNING must yield a row; NotFound naming `what` if not.
  absl::Status UpdateOne(std::string_view sql, const std::vector<SqlParam>& params,
                         std::string_view what);

  std::unique_ptr<SqlDriver> db_;
  int schema_version_ = 0;
};

// Store::Open with the schema migrated only up to `version` (0: fully): for migration tests.
absl::StatusOr<std::unique_ptr<Store>> OpenStoreAtVersion(const std::string& url, int version);

}  // namespace vigil::store
