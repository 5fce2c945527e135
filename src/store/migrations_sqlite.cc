// SQLite's schema steps (see migrations.h). Times are INTEGER epoch milliseconds; flags are
// INTEGER 0/1; JSON is TEXT, returned byte for byte as given.
#include "store/migrations.h"

namespace vigil::store {
namespace {

// History rows are rowid tables, not WITHOUT ROWID: a busy code-day's blob is near 1 KB, which
// would spill onto an overflow page of its own in a WITHOUT ROWID (index) b-tree.
constexpr std::string_view kHistory = R"sql(
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE history_day (
  day INTEGER PRIMARY KEY  -- days since 1970-01-01, local
);
CREATE TABLE history_code (
  day INTEGER NOT NULL REFERENCES history_day (day) ON DELETE CASCADE,
  txn TEXT NOT NULL,
  minutes BLOB NOT NULL,  -- history_codec.h
  PRIMARY KEY (day, txn)
);
CREATE TABLE history_recon (
  day INTEGER NOT NULL REFERENCES history_day (day) ON DELETE CASCADE,
  check_name TEXT NOT NULL,
  mismatch_count REAL,
  mismatch_amount REAL,
  PRIMARY KEY (day, check_name)
);
)sql";

// alert_state.last_event_id has no foreign key on purpose: pruning old events must not have to
// touch the state of an alert that is still open.
constexpr std::string_view kAlerts = R"sql(
CREATE TABLE alert_event (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  firing INTEGER NOT NULL,
  rule TEXT NOT NULL,
  key_json TEXT NOT NULL,
  severity TEXT NOT NULL,
  json TEXT NOT NULL
);
CREATE INDEX alert_event_at ON alert_event (at);
CREATE INDEX alert_event_rule ON alert_event (rule, id);
CREATE TABLE alert_record (
  event_id INTEGER NOT NULL REFERENCES alert_event (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (event_id, seq)
);
CREATE TABLE alert_state (
  rule TEXT NOT NULL,
  key_json TEXT NOT NULL,
  severity TEXT NOT NULL,
  firing INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  resolved_at INTEGER,
  last_event_id INTEGER NOT NULL,
  PRIMARY KEY (rule, key_json)
);
CREATE TABLE checkpoint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  minute INTEGER NOT NULL
);
)sql";

constexpr std::string_view kAlerting = R"sql(
CREATE TABLE silence (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  matchers_json TEXT NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  comment TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX silence_ends_at ON silence (ends_at);
CREATE TABLE notification (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  dedup_key TEXT NOT NULL UNIQUE,
  receiver TEXT NOT NULL,
  group_key TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  state INTEGER NOT NULL,  -- 0 pending, 1 delivered, 2 gave up
  last_error TEXT NOT NULL,
  delivered_at INTEGER
);
CREATE INDEX notification_pending ON notification (next_attempt_at) WHERE state = 0;
CREATE TABLE alert_group (
  group_key TEXT PRIMARY KEY,
  json TEXT NOT NULL
);
CREATE TABLE source_offset (
  source TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";

// Acknowledgements (issue 4): the current one of each firing alert, and the log of every
// change, which the console shows in the alert's history beside its events. The current row
// goes when the alert resolves (CommitMinute); the log stays. A current row counts only for
// the episode it names (started_at): one written while a resolution committed concurrently
// (PostgreSQL's read committed) never passes to the alert's next episode.
constexpr std::string_view kAcks = R"sql(
CREATE TABLE alert_ack (
  rule TEXT NOT NULL,
  key_json TEXT NOT NULL,
  acked_by TEXT NOT NULL,
  comment TEXT NOT NULL,
  acked_at INTEGER NOT NULL,
  started_at INTEGER NOT NULL,  -- alert_state.started_at of the episode acknowledged
  PRIMARY KEY (rule, key_json)
) WITHOUT ROWID;
CREATE TABLE alert_ack_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  rule TEXT NOT NULL,
  key_json TEXT NOT NULL,
  acknowledged INTEGER NOT NULL,  -- 1 acknowledged, 0 withdrawn
  actor TEXT NOT NULL,
  comment TEXT NOT NULL
);
CREATE INDEX alert_ack_log_at ON alert_ack_log (at);
CREATE INDEX alert_ack_log_rule ON alert_ack_log (rule, id);
)sql";

// The incident desk (issue 5): users with their role and groups, login sessions (only a hash
// of each token), API tokens for machine clients (hashed), and the append-only audit log.
constexpr std::string_view kDesk = R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled SMALLINT NOT NULL DEFAULT 0,
  must_change_password SMALLINT NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE user_groups (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  group_name TEXT NOT NULL,
  PRIMARY KEY (user_id, group_name)
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  client_ip TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  label TEXT NOT NULL,
  role TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail_json TEXT NOT NULL,
  client_ip TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
)sql";

// Incidents (issue 5, schema 6). The queue lists newest first with keyset paging (id < ?), so
// every filter has an index (filter, id): the database walks it backwards and stops at the
// page. A reporter's list is (reporter_id, id); a member's adds (group_name, id).
// Attachments keep their bytes here (incident_store.h says why).
constexpr std::string_view kIncidents = R"sql(
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  version INTEGER NOT NULL DEFAULT 0,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  system TEXT NOT NULL,
  customer_no TEXT NOT NULL,
  account TEXT NOT NULL,
  customer_name TEXT NOT NULL,
  phone TEXT NOT NULL,
  occurred_at INTEGER,
  status TEXT NOT NULL,
  priority TEXT NOT NULL,
  klass TEXT NOT NULL,
  subcategory_id INTEGER,
  channel TEXT NOT NULL,
  reporter_id INTEGER NOT NULL,
  reporter TEXT NOT NULL,
  assignee TEXT NOT NULL,
  group_name TEXT NOT NULL,
  alert_fingerprint TEXT NOT NULL,
  external_ref TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  first_response_at INTEGER,
  resolved_at INTEGER,
  closed_at INTEGER,
  last_message_at INTEGER,
  reopened INTEGER NOT NULL,
  cause TEXT NOT NULL,
  solution TEXT NOT NULL,
  first_response_due INTEGER NOT NULL,
  resolution_due INTEGER NOT NULL,
  sla_state TEXT NOT NULL,
  first_response_state TEXT NOT NULL
);
CREATE INDEX incidents_status ON incidents (status, id);
CREATE INDEX incidents_reporter ON incidents (reporter_id, id);
CREATE INDEX incidents_assignee ON incidents (assignee, id);
CREATE INDEX incidents_group ON incidents (group_name, id);
CREATE INDEX incidents_system ON incidents (system, id);
CREATE INDEX incidents_priority ON incidents (priority, id);
CREATE INDEX incidents_class ON incidents (klass, id);
CREATE INDEX incidents_sla ON incidents (sla_state, id);
CREATE INDEX incidents_first_response ON incidents (first_response_state, id);
CREATE INDEX incidents_alert ON incidents (alert_fingerprint, id) WHERE alert_fingerprint <> '';
CREATE INDEX incidents_external ON incidents (external_ref) WHERE external_ref <> '';
CREATE TABLE incident_messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  author TEXT NOT NULL,
  author_role TEXT NOT NULL,
  kind TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX incident_messages_incident ON incident_messages (incident_id, id);
CREATE TABLE incident_reads (
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL,
  message_id INTEGER NOT NULL,
  PRIMARY KEY (incident_id, user_id)
) WITHOUT ROWID;
CREATE TABLE incident_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  detail_json TEXT NOT NULL
);
CREATE INDEX incident_history_incident ON incident_history (incident_id, id);
CREATE TABLE incident_scripts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  author TEXT NOT NULL,
  description TEXT NOT NULL,
  content TEXT NOT NULL,
  status TEXT NOT NULL,
  reviewer TEXT NOT NULL,
  review_comment TEXT NOT NULL,
  reviewed_at INTEGER,
  executed_by TEXT NOT NULL,
  output TEXT NOT NULL,
  executed_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX incident_scripts_incident ON incident_scripts (incident_id, id);
CREATE TABLE incident_attachments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  message_id INTEGER,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  uploader TEXT NOT NULL,
  size INTEGER NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX incident_attachments_incident ON incident_attachments (incident_id, id);
CREATE INDEX incident_attachments_message ON incident_attachments (message_id) WHERE message_id IS NOT NULL;
CREATE TABLE desk_notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_name TEXT NOT NULL,
  incident_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  read_at INTEGER
);
CREATE INDEX desk_notifications_user ON desk_notifications (user_name, id);
CREATE INDEX desk_notifications_unread ON desk_notifications (user_name, id) WHERE read_at IS NULL;
CREATE TABLE desk_systems (
  position INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE desk_subcategories (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  klass TEXT NOT NULL,
  name TEXT NOT NULL,
  disabled SMALLINT NOT NULL DEFAULT 0,
  UNIQUE (klass, name)
);
CREATE TABLE desk_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";

// A user's own e-mail address: replies and resolutions of their reports are mailed there when
// desk.notify.reporter_email names a receiver ("" = none).
constexpr std::string_view kUserEmail = R"sql(
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
)sql";

// The queue's text search (schema 8, text_search.h): an FTS5 index over the incidents' own
// text (external content: no second copy of it), trigram-tokenised so any substring of 3+
// characters, Chinese included, is a lookup. Triggers keep it in step with every write; the
// update one re-indexes only when the text changed (every change of an incident rewrites its
// row). Existing incidents are indexed here ('rebuild').
constexpr std::string_view kTextIndex = R"sql(
CREATE VIRTUAL TABLE incidents_fts USING fts5 (
  title, description, external_ref,
  content = 'incidents', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO incidents_fts (incidents_fts) VALUES ('rebuild');
CREATE TRIGGER incidents_fts_insert AFTER INSERT ON incidents BEGIN
  INSERT INTO incidents_fts (rowid, title, description, external_ref)
  VALUES (new.id, new.title, new.description, new.external_ref);
END;
CREATE TRIGGER incidents_fts_delete AFTER DELETE ON incidents BEGIN
  INSERT INTO incidents_fts (incidents_fts, rowid, title, description, external_ref)
  VALUES ('delete', old.id, old.title, old.description, old.external_ref);
END;
CREATE TRIGGER incidents_fts_update AFTER UPDATE OF title, description, external_ref ON incidents
WHEN old.title IS NOT new.title OR old.description IS NOT new.description
  OR old.external_ref IS NOT new.external_ref
BEGIN
  INSERT INTO incidents_fts (incidents_fts, rowid, title, description, external_ref)
  VALUES ('delete', old.id, old.title, old.description, old.external_ref);
  INSERT INTO incidents_fts (rowid, title, description, external_ref)
  VALUES (new.id, new.title, new.description, new.external_ref);
END;
)sql";

// In-app notifications in English beside Chinese: each user's page shows its own language.
constexpr std::string_view kNotificationEnglish = R"sql(
ALTER TABLE desk_notifications ADD COLUMN text_en TEXT NOT NULL DEFAULT '';
)sql";

constexpr Migration kSteps[] = {
    {1, "metadata and baseline history", kHistory},
    {2, "alert events, alert states and the checkpoint", kAlerts},
    {3, "silences, notification outbox, alert groups, source offsets", kAlerting},
    {4, "alert acknowledgements and their log", kAcks},
    {5, "incident desk: users, groups, sessions, API tokens, audit log", kDesk},
    {6, "incidents: messages, read marks, history, scripts, attachments, notifications, settings",
     kIncidents},
    {7, "users: e-mail address", kUserEmail},
    {8, "incident text search index (FTS5 trigram)", kTextIndex},
    {9, "in-app notifications in English", kNotificationEnglish},
};

}  // namespace

std::span<const Migration> SqliteMigrations() { return kSteps; }

}  // namespace vigil::store
