// SqlStore: alert events with their abnormal records, each alert's current state, and the
// evaluation checkpoint.
#include "common/strings.h"
#include "fmt/format.h"
#include "store/sql_list_query.h"
#include "store/sql_store.h"

namespace vigil::store {
namespace {

constexpr std::string_view kEventColumns = "id, at, firing, rule, key_json, severity, json";

// A firing event opens a new episode unless the alert is firing already; a resolved event
// closes it. (In an UPDATE every right-hand side sees the row as it was.)
constexpr std::string_view kUpsertState = R"sql(
INSERT INTO alert_state (rule, key_json, severity, firing, started_at, updated_at, resolved_at,
                         last_event_id)
VALUES ($1, $2, $3, $4, $5, $5, $6, $7)
ON CONFLICT (rule, key_json) DO UPDATE SET
  severity = excluded.severity,
  firing = excluded.firing,
  started_at = CASE WHEN excluded.firing = 1 AND alert_state.firing = 0
                    THEN excluded.started_at ELSE alert_state.started_at END,
  updated_at = excluded.updated_at,
  resolved_at = excluded.resolved_at,
  last_event_id = excluded.last_event_id
)sql";

AlertEventRow EventOf(const SqlRow& r) {
  AlertEventRow e;
  e.id = r[0].Int();
  e.at = r[1].Int();
  e.firing = r[2].Int() != 0;
  e.rule = r[3].Text();
  e.key_json = r[4].Text();
  e.severity = r[5].Text();
  e.json = r[6].Text();
  return e;
}

absl::Status InsertEvent(SqlSession& s, AlertEventRow* e) {
  VIGIL_ASSIGN_OR_RETURN(
      SqlRows ids,
      s.Query("INSERT INTO alert_event (at, firing, rule, key_json, severity, json) "
              "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
              {Int(e->at), Int(e->firing ? 1 : 0), Text(e->rule), Text(e->key_json),
               Text(e->severity), Text(e->json)}));
  e->id = ids.at(0).at(0).Int();
  for (size_t i = 0; i < e->abnormal_records.size(); ++i) {
    VIGIL_RETURN_IF_ERROR(
        s.Query("INSERT INTO alert_record (event_id, seq, json) VALUES ($1, $2, $3)",
                {Int(e->id), Int(static_cast<int64_t>(i)), Text(e->abnormal_records[i])})
            .status());
  }
  std::optional<int64_t> resolved_at;
  if (!e->firing) resolved_at = e->at;
  VIGIL_RETURN_IF_ERROR(s.Query(kUpsertState, {Text(e->rule), Text(e->key_json),
                                               Text(e->severity), Int(e->firing ? 1 : 0),
                                               Int(e->at), Int(resolved_at), Int(e->id)})
                            .status());
  if (e->firing) return absl::OkStatus();
  // The acknowledgement was of this episode: a later one starts unacknowledged. After the
  // state's update, so an acknowledgement committed meanwhile is seen and removed too.
  return s.Query("DELETE FROM alert_ack WHERE rule = $1 AND key_json = $2",
                 {Text(e->rule), Text(e->key_json)})
      .status();
}

}  // namespace

absl::Status SqlStore::CommitMinute(TimeMs minute, std::vector<AlertEventRow>* events) {
  return db_->Write([&](SqlSession& s) -> absl::Status {
    for (AlertEventRow& e : *events) VIGIL_RETURN_IF_ERROR(InsertEvent(s, &e));
    return s.Query("INSERT INTO checkpoint (id, minute) VALUES (1, $1) "
                   "ON CONFLICT (id) DO UPDATE SET minute = excluded.minute",
                   {Int(minute)})
        .status();
  });
}

absl::StatusOr<std::optional<TimeMs>> SqlStore::Checkpoint() {
  std::optional<TimeMs> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows, s.Query("SELECT minute FROM checkpoint WHERE id = 1"));
    out.reset();
    if (!rows.empty()) out = rows[0][0].Int();
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<AlertEventRow>> SqlStore::QueryEvents(const EventQuery& q) {
  std::vector<AlertEventRow> out;
  if (q.limit <= 0) return out;
  ListQuery query(kEventColumns, "alert_event");
  query.AtRuleKey(q.from, q.to, q.rule, q.key_contains, db_->dialect());
  if (q.firing) query.Where("firing = {}", Int(*q.firing ? 1 : 0));
  const std::string& sql = query.Page(q.before_id, q.limit);
  const std::vector<SqlParam>& params = query.params();
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows, s.Query(sql, params));
    out.clear();
    for (const SqlRow& r : rows) out.push_back(EventOf(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::optional<AlertEventRow>> SqlStore::GetEvent(int64_t id) {
  std::optional<AlertEventRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    out.reset();
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query(fmt::format("SELECT {} FROM alert_event WHERE id = $1", kEventColumns), {Int(id)}));
    if (rows.empty()) return absl::OkStatus();
    out = EventOf(rows[0]);
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows records,
        s.Query("SELECT json FROM alert_record WHERE event_id = $1 ORDER BY seq", {Int(id)}));
    for (const SqlRow& r : records) out->abnormal_records.push_back(r[0].Text());
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<AlertStateRow>> SqlStore::AlertStates(bool include_resolved,
                                                                 TimeMs resolved_since) {
  std::string sql =
      "SELECT s.rule, s.key_json, s.severity, s.firing, s.started_at, s.updated_at, "
      "s.resolved_at, s.last_event_id, e.json, k.acked_by, k.comment, k.acked_at "
      "FROM alert_state s LEFT JOIN alert_event e ON e.id = s.last_event_id "
      "LEFT JOIN alert_ack k ON k.rule = s.rule AND k.key_json = s.key_json "
      "AND k.started_at = s.started_at AND s.firing = 1 "
      "WHERE s.firing = 1";
  std::vector<SqlParam> params;
  if (include_resolved) {
    sql += " OR s.resolved_at >= $1";
    params.push_back(Int(resolved_since));
  }
  sql += " ORDER BY s.started_at, s.rule, s.key_json";
  std::vector<AlertStateRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows, s.Query(sql, params));
    out.clear();
    for (const SqlRow& r : rows) {
      std::optional<AlertAck> ack;
      if (!r[11].null()) ack = AlertAck{r[9].Text(), r[10].Text(), r[11].Int()};
      out.push_back(AlertStateRow{r[0].Text(), r[1].Text(), r[2].Text(), r[3].Int() != 0,
                                  r[4].Int(), r[5].Int(), r[6].OptInt(), r[7].Int(), r[8].Text(),
                                  std::move(ack)});
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace vigil::store
