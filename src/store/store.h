// vigil's durable store: one interface, two backends (SQLite in WAL mode, the embedded
// default; PostgreSQL for a shared store). Callers never see SQL; every method is one
// transaction, so a crash leaves either all of a call's effect or none of it.
//
// What it keeps (the serve issue's list):
// - per-minute volume of each code for whole past days (baselines; compact, >= 35 days),
// - alert events with their abnormal records, and each alert's current state,
// - the evaluation checkpoint (the last minute whose events are committed),
// - acknowledgements of firing alerts, and a log of every acknowledgement change,
// - silences, the notification outbox, alert-group notification state,
// - source offsets (file tail, TCP, ...) and small metadata.
//
// Thread safety: an opened Store may be used from several threads; calls are serialised
// inside (SQLite: one connection under a mutex; PostgreSQL: a small connection pool).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/calendar.h"
#include "common/time_util.h"
#include "engine/engine.h"  // HistoryDay

namespace vigil::store {

// One alert event as the engine produced it (the replay JSON line kept whole in `json`), with
// the indexed columns pulled out.
struct AlertEventRow {
  int64_t id = 0;            // assigned by the store
  TimeMs at = 0;             // the evaluation minute
  bool firing = true;
  std::string rule;          // "system_success"
  std::string key_json;      // {"txn":"A001"}: with `rule`, identifies the alert
  std::string severity;
  std::string json;          // the whole event, as `vigil replay` writes it
  std::vector<std::string> abnormal_records;  // abnormal_count: one JSON object per record
};

// Someone is on a firing alert (issue 4's Alerts page): who, why, when (the server's clock).
struct AlertAck {
  std::string by;
  std::string comment;
  TimeMs at = 0;
};

// The current state of one alert (rule + key), updated by every committed event.
struct AlertStateRow {
  std::string rule;
  std::string key_json;
  std::string severity;
  bool firing = true;
  TimeMs started_at = 0;     // `at` of the firing event that opened this episode
  TimeMs updated_at = 0;     // `at` of the newest event
  std::optional<TimeMs> resolved_at;
  int64_t last_event_id = 0;
  std::string last_event_json;
  // Set while the alert fires and is acknowledged; a resolved event clears it, so a later
  // episode starts unacknowledged.
  std::optional<AlertAck> ack;
};

// One row of the acknowledgement log: an alert acknowledged or un-acknowledged. The log is the
// alert's history beside its events (the events themselves are only the engine's).
struct AckLogEntry {
  int64_t id = 0;  // assigned by the store, increasing
  std::string rule;
  std::string key_json;
  bool acknowledged = true;  // false: the acknowledgement was withdrawn
  AlertAck ack;              // who did it, their comment, and when
};

struct AckLogQuery {
  std::optional<TimeMs> from, to;  // `ack.at` in [from, to)
  std::optional<std::string> rule;
  std::optional<std::string> key_contains;  // substring of key_json, as in EventQuery
  int64_t before_id = 0;  // paging: only ids below this (0: from the newest)
  int limit = 100;        // newest first
};

struct EventQuery {
  std::optional<TimeMs> from, to;  // `at` in [from, to)
  std::optional<std::string> rule;
  std::optional<std::string> key_contains;  // substring of key_json, e.g. "\"txn\":\"A001\""
  std::optional<bool> firing;
  int64_t before_id = 0;  // paging: only ids below this (0: from the newest)
  int limit = 100;        // newest first
};

// An Alertmanager-style matcher on an alert's labels (rule, severity, txn, svc_sys, ...).
struct Matcher {
  std::string name;
  std::string op = "=";  // "=", "!=", "=~", "!~"
  std::string value;
};

struct Silence {
  int64_t id = 0;  // assigned by the store
  std::vector<Matcher> matchers;
  TimeMs starts_at = 0;
  TimeMs ends_at = 0;
  std::string created_by;
  std::string comment;
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

enum class DeliveryState : uint8_t { kPending, kDelivered, kGaveUp };

// What retention prunes by age (Store::Prune); PruneKindName gives the metric label.
enum class PruneKind : uint8_t {
  kAlertEvents,      // alert events (with their abnormal records) whose minute `at` is older,
                     // and the states of alerts resolved before the cut
  kAbnormalRecords,  // the abnormal records of older events (the events themselves stay)
  kNotifications,    // delivered or given-up notifications (by delivered_at, else created_at)
  kAckLog,           // acknowledgement-log rows
};
std::string_view PruneKindName(PruneKind kind);  // "alert_events", "abnormal_records", ...

// One message for one receiver. Rendering happens before it is queued, so a restart re-sends
// exactly what would have been sent.
struct Notification {
  int64_t id = 0;             // assigned by the store
  std::string dedup_key;      // unique: enqueueing the same key twice keeps the first
  std::string receiver;       // receiver name from the config
  std::string group_key;
  std::string payload_json;   // what the notifier needs (rendered subject/body, alerts ...)
  TimeMs created_at = 0;
  TimeMs next_attempt_at = 0;
  int attempts = 0;
  DeliveryState state = DeliveryState::kPending;
  std::string last_error;
  std::optional<TimeMs> delivered_at;
};

struct OutboxStats {
  int64_t pending = 0, delivered = 0, gave_up = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // "sqlite:///abs/path/vigil.db", "sqlite:relative/path.db" or a plain file path: SQLite;
  // "postgresql://..." or "postgres://...": PostgreSQL. Creates the schema or migrates it
  // forward (versioned migrations); refuses a database from a newer vigil.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& url);

  virtual std::string backend() const = 0;  // "sqlite" / "postgresql"
  virtual int schema_version() const = 0;

  // --- metadata (small values: config hash, instance id ...)
  virtual absl::StatusOr<std::optional<std::string>> GetMeta(const std::string& key) = 0;
  virtual absl::Status PutMeta(const std::string& key, const std::string& value) = 0;

  // --- baselines: whole days of per-minute volume (replaces a day already stored)
  virtual absl::Status PutHistoryDay(const HistoryDay& day) = 0;
  // Days in [from, to], oldest first; each day's codes ordered by txn. More choices the
  // interface leaves open are stated in sql_store.h.
  virtual absl::StatusOr<std::vector<HistoryDay>> LoadHistory(LocalDay from, LocalDay to) = 0;
  // Deletes at most `limit` of the oldest stored days before `before`; how many went.
  virtual absl::StatusOr<int64_t> PruneHistory(LocalDay before, int limit) = 0;
  // Stored bytes of history (for the bytes-per-code-day figure).
  virtual absl::StatusOr<int64_t> HistoryBytes() = 0;

  // --- alerts. The events of evaluation minutes up to `minute`, committed together with the
  // checkpoint; updates each alert's current state (a resolved event also removes the alert's
  // acknowledgement, in the same transaction). Ids are written back into `events`.
  virtual absl::Status CommitMinute(TimeMs minute, std::vector<AlertEventRow>* events) = 0;
  // The `minute` of the last CommitMinute, if any.
  virtual absl::StatusOr<std::optional<TimeMs>> Checkpoint() = 0;
  // Without abnormal_records (GetEvent has them).
  virtual absl::StatusOr<std::vector<AlertEventRow>> QueryEvents(const EventQuery& q) = 0;
  virtual absl::StatusOr<std::optional<AlertEventRow>> GetEvent(int64_t id) = 0;  // with records
  // Current alerts: firing only, or also those resolved since `resolved_since`; with their
  // acknowledgement.
  virtual absl::StatusOr<std::vector<AlertStateRow>> AlertStates(
      bool include_resolved, TimeMs resolved_since = 0) = 0;

  // --- acknowledgements. Each change checks, in its transaction, that the alert fires, and
  // adds a row to the acknowledgement log.
  // Acknowledges the firing alert (rule, key_json), replacing an acknowledgement it had;
  // NotFound when no such alert fires.
  virtual absl::Status AcknowledgeAlert(const std::string& rule, const std::string& key_json,
                                        const AlertAck& ack) = 0;
  // Withdraws the acknowledgement of the firing alert (rule, key_json); `who` says by whom and
  // when (for the log). False (nothing logged) when it was not acknowledged; NotFound when no
  // such alert fires.
  virtual absl::StatusOr<bool> UnacknowledgeAlert(const std::string& rule,
                                                  const std::string& key_json,
                                                  const AlertAck& who) = 0;
  virtual absl::StatusOr<std::vector<AckLogEntry>> QueryAckLog(const AckLogQuery& q) = 0;

  // --- silences
  virtual absl::StatusOr<int64_t> CreateSilence(const Silence& s) = 0;
  virtual absl::Status UpdateSilence(const Silence& s) = 0;  // by id; NotFound if absent
  virtual absl::Status ExpireSilence(int64_t id, TimeMs now) = 0;  // ends_at = now
  virtual absl::StatusOr<std::optional<Silence>> GetSilence(int64_t id) = 0;
  // Silences with ends_at > now (active or pending), or all when include_expired.
  virtual absl::StatusOr<std::vector<Silence>> ListSilences(TimeMs now, bool include_expired) = 0;

  // --- notification outbox (at-least-once delivery that survives restarts)
  // Atomic: all or none; rows whose dedup_key exists already are skipped. Ids are written
  // back into `batch`; a skipped row gets id 0. Rows are queued pending with no attempts.
  virtual absl::Status Enqueue(std::vector<Notification>* batch) = 0;
  // Pending notifications with next_attempt_at <= now, oldest first.
  virtual absl::StatusOr<std::vector<Notification>> DueNotifications(TimeMs now, int limit) = 0;
  // Each Mark* counts one attempt; NotFound for an unknown id.
  virtual absl::Status MarkDelivered(int64_t id, TimeMs at) = 0;
  virtual absl::Status MarkRetry(int64_t id, TimeMs next_attempt_at, const std::string& error) = 0;
  virtual absl::Status MarkGaveUp(int64_t id, const std::string& error) = 0;
  virtual absl::StatusOr<OutboxStats> Outbox() = 0;
  // The earliest next_attempt_at of a pending notification (to sleep until then).
  virtual absl::StatusOr<std::optional<TimeMs>> NextAttempt() = 0;

  // --- alert-group state for grouping and repeat_interval: an opaque JSON per group key
  virtual absl::StatusOr<std::optional<std::string>> GetGroupState(const std::string& group_key) = 0;
  virtual absl::Status PutGroupState(const std::string& group_key, const std::string& json) = 0;
  virtual absl::Status DeleteGroupState(const std::string& group_key) = 0;
  // Puts and deletes many group states in one transaction (a Tick's writes: one commit, not one
  // per group); all or none.
  virtual absl::Status WriteGroupStates(
      const std::vector<std::pair<std::string, std::string>>& put,
      const std::vector<std::string>& erase) = 0;
  // Every stored group (key, json), to rebuild the groups after a restart.
  virtual absl::StatusOr<std::vector<std::pair<std::string, std::string>>> GroupStates() = 0;

  // --- retention: deletes, in one transaction, the rows of `kind` older than `before` that
  // belong to at most `limit` of the oldest such events / notifications / log rows, and
  // returns how many rows went (0: nothing older is left). Never what is still in use: a
  // firing alert keeps its current episode's events, abnormal records and acknowledgement-log
  // rows, every alert state keeps its last event, and pending notifications stay.
  virtual absl::StatusOr<int64_t> Prune(PruneKind kind, TimeMs before, int limit) = 0;

  // --- source offsets (file tail: inode + offset; any source: an opaque string)
  virtual absl::StatusOr<std::optional<std::string>> GetOffset(const std::string& source) = 0;
  virtual absl::Status PutOffset(const std::string& source, const std::string& value) = 0;
};

}  // namespace vigil::store
