// SqlStore: retention (Store::Prune). Each call is one short write transaction over a bounded
// set of the oldest rows, so a large backlog is worked off in many small steps and the engine's
// commits get the write lock in between.
//
// What is in use is kept: an event or acknowledgement-log row of a firing alert's current
// episode (its alert_state fires and the row is not older than started_at), the last event of
// every alert state (AlertStates reads its JSON), and pending notifications. The state of an
// alert resolved before the cut goes with the events (kAlertEvents).
#include <string>
#include <vector>

#include "common/strings.h"
#include "fmt/format.h"
#include "store/sql_store.h"

namespace vigil::store {
namespace {

// True (as SQL) when the event `e` is still in use by its alert's state.
constexpr std::string_view kEventInUse =
    "EXISTS (SELECT 1 FROM alert_state s WHERE s.rule = e.rule AND s.key_json = e.key_json "
    "AND (s.last_event_id = e.id OR (s.firing = 1 AND e.at >= s.started_at)))";

// "$first, $first+1, ..." for `n` parameters.
std::string Placeholders(size_t first, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += fmt::format("{}${}", i ? ", " : "", first + i);
  return out;
}

// The ids (first column) of `rows` as parameters.
std::vector<SqlParam> IdParams(const SqlRows& rows) {
  std::vector<SqlParam> out;
  out.reserve(rows.size());
  for (const SqlRow& r : rows) out.push_back(Int(r[0].Int()));
  return out;
}

// Deletes the abnormal records of the events `ids` (and the events too when `events`): the
// number of rows deleted.
absl::StatusOr<int64_t> DeleteEvents(SqlSession& s, const SqlRows& ids, bool events) {
  if (ids.empty()) return 0;
  const std::vector<SqlParam> params = IdParams(ids);
  const std::string in = Placeholders(1, params.size());
  VIGIL_ASSIGN_OR_RETURN(
      SqlRows records,
      s.Query(fmt::format("DELETE FROM alert_record WHERE event_id IN ({}) RETURNING seq", in),
              params));
  if (!events) return static_cast<int64_t>(records.size());
  VIGIL_ASSIGN_OR_RETURN(
      SqlRows deleted,
      s.Query(fmt::format("DELETE FROM alert_event WHERE id IN ({}) RETURNING id", in), params));
  return static_cast<int64_t>(deleted.size());
}

// Events, and the states of alerts resolved before the cut (their last event is then free to
// go: a state is what keeps its last event).
absl::StatusOr<int64_t> PruneEvents(SqlSession& s, TimeMs before, int limit) {
  VIGIL_ASSIGN_OR_RETURN(
      SqlRows states,
      s.Query("DELETE FROM alert_state WHERE (rule, key_json) IN (SELECT rule, key_json "
              "FROM alert_state WHERE firing = 0 AND resolved_at < $1 "
              "ORDER BY resolved_at LIMIT $2) RETURNING rule",
              {Int(before), Int(static_cast<int64_t>(limit))}));
  VIGIL_ASSIGN_OR_RETURN(
      SqlRows ids, s.Query(fmt::format("SELECT e.id FROM alert_event e WHERE e.at < $1 AND NOT {} "
                                       "ORDER BY e.id LIMIT $2",
                                       kEventInUse),
                           {Int(before), Int(static_cast<int64_t>(limit))}));
  VIGIL_ASSIGN_OR_RETURN(int64_t events, DeleteEvents(s, ids, /*events=*/true));
  return events + static_cast<int64_t>(states.size());
}

absl::StatusOr<int64_t> PruneRecords(SqlSession& s, TimeMs before, int limit) {
  VIGIL_ASSIGN_OR_RETURN(
      SqlRows ids,
      s.Query(fmt::format("SELECT e.id FROM alert_event e WHERE e.at < $1 AND NOT {} AND EXISTS "
                          "(SELECT 1 FROM alert_record r WHERE r.event_id = e.id) "
                          "ORDER BY e.id LIMIT $2",
                          kEventInUse),
              {Int(before), Int(static_cast<int64_t>(limit))}));
  return DeleteEvents(s, ids, /*events=*/false);
}

constexpr std::string_view kPruneNotifications =
    "DELETE FROM notification WHERE id IN (SELECT id FROM notification WHERE state <> 0 "
    "AND COALESCE(delivered_at, created_at) < $1 ORDER BY id LIMIT $2) RETURNING id";

constexpr std::string_view kPruneAckLog =
    "DELETE FROM alert_ack_log WHERE id IN (SELECT l.id FROM alert_ack_log l WHERE l.at < $1 "
    "AND NOT EXISTS (SELECT 1 FROM alert_state s WHERE s.rule = l.rule "
    "AND s.key_json = l.key_json AND s.firing = 1 AND l.at >= s.started_at) "
    "ORDER BY l.id LIMIT $2) RETURNING id";

}  // namespace

std::string_view PruneKindName(PruneKind kind) {
  switch (kind) {
    case PruneKind::kAlertEvents: return "alert_events";
    case PruneKind::kAbnormalRecords: return "abnormal_records";
    case PruneKind::kNotifications: return "notifications";
    case PruneKind::kAckLog: return "ack_log";
  }
  return "unknown";
}

absl::StatusOr<int64_t> SqlStore::Prune(PruneKind kind, TimeMs before, int limit) {
  int64_t n = 0;
  if (limit <= 0) return n;
  VIGIL_RETURN_IF_ERROR(db_->Write([&](SqlSession& s) -> absl::Status {
    n = 0;
    absl::StatusOr<int64_t> deleted = int64_t{0};
    switch (kind) {
      case PruneKind::kAlertEvents: deleted = PruneEvents(s, before, limit); break;
      case PruneKind::kAbnormalRecords: deleted = PruneRecords(s, before, limit); break;
      case PruneKind::kNotifications:
      case PruneKind::kAckLog: {
        auto rows = s.Query(kind == PruneKind::kAckLog ? kPruneAckLog : kPruneNotifications,
                            {Int(before), Int(static_cast<int64_t>(limit))});
        if (!rows.ok()) return rows.status();
        deleted = static_cast<int64_t>(rows->size());
        break;
      }
    }
    if (!deleted.ok()) return deleted.status();
    n = *deleted;
    return absl::OkStatus();
  }));
  return n;
}

}  // namespace vigil::store
