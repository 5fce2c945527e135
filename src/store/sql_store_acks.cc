// SqlStore: acknowledgements of firing alerts and their log. The current acknowledgement is
// one row per alert (alert_ack); every change is also a row of alert_ack_log, which stays
// after the alert resolves (CommitMinute removes only the current row).
#include "common/strings.h"
#include "fmt/format.h"
#include "store/sql_list_query.h"
#include "store/sql_store.h"

namespace vigil::store {
namespace {

// The started_at of the episode of (rule, key_json) that fires now; NotFound when it does not
// fire. Read inside the caller's transaction.
absl::StatusOr<TimeMs> FiringEpisode(SqlSession& s, const std::string& rule,
                                     const std::string& key_json) {
  VIGIL_ASSIGN_OR_RETURN(
      SqlRows rows,
      s.Query("SELECT firing, started_at FROM alert_state WHERE rule = $1 AND key_json = $2",
              {Text(rule), Text(key_json)}));
  if (rows.empty() || rows[0][0].Int() == 0) {
    return absl::NotFoundError(AsAbsl(fmt::format("no firing alert {} {}", rule, key_json)));
  }
  return rows[0][1].Int();
}

absl::Status Log(SqlSession& s, const std::string& rule, const std::string& key_json,
                 bool acknowledged, const AlertAck& ack) {
  return s
      .Query("INSERT INTO alert_ack_log (at, rule, key_json, acknowledged, actor, comment) "
             "VALUES ($1, $2, $3, $4, $5, $6)",
             {Int(ack.at), Text(rule), Text(key_json), Int(acknowledged ? 1 : 0), Text(ack.by),
              Text(ack.comment)})
      .status();
}

}  // namespace

absl::Status SqlStore::AcknowledgeAlert(const std::string& rule, const std::string& key_json,
                                        const AlertAck& ack) {
  return db_->Write([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(TimeMs episode, FiringEpisode(s, rule, key_json));
    VIGIL_RETURN_IF_ERROR(
        s.Query("INSERT INTO alert_ack (rule, key_json, acked_by, comment, acked_at, started_at) "
                "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (rule, key_json) DO UPDATE SET "
                "acked_by = excluded.acked_by, comment = excluded.comment, "
                "acked_at = excluded.acked_at, started_at = excluded.started_at",
                {Text(rule), Text(key_json), Text(ack.by), Text(ack.comment), Int(ack.at),
                 Int(episode)})
            .status());
    return Log(s, rule, key_json, true, ack);
  });
}

absl::StatusOr<bool> SqlStore::UnacknowledgeAlert(const std::string& rule,
                                                  const std::string& key_json,
                                                  const AlertAck& who) {
  bool removed = false;
  VIGIL_RETURN_IF_ERROR(db_->Write([&](SqlSession& s) -> absl::Status {
    removed = false;
    VIGIL_ASSIGN_OR_RETURN(TimeMs episode, FiringEpisode(s, rule, key_json));
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows, s.Query("DELETE FROM alert_ack WHERE rule = $1 AND key_json = $2 "
                              "RETURNING started_at",
                              {Text(rule), Text(key_json)}));
    // A row of an earlier episode was no acknowledgement of this one: gone, not logged.
    if (rows.empty() || rows[0][0].Int() != episode) return absl::OkStatus();
    removed = true;
    return Log(s, rule, key_json, false, who);
  }));
  return removed;
}

absl::StatusOr<std::vector<AckLogEntry>> SqlStore::QueryAckLog(const AckLogQuery& q) {
  std::vector<AckLogEntry> out;
  if (q.limit <= 0) return out;
  ListQuery query("id, at, rule, key_json, acknowledged, actor, comment", "alert_ack_log");
  query.AtRuleKey(q.from, q.to, q.rule, q.key_contains, db_->dialect());
  const std::string& sql = query.Page(q.before_id, q.limit);
  const std::vector<SqlParam>& params = query.params();
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows, s.Query(sql, params));
    out.clear();
    for (const SqlRow& r : rows) {
      out.push_back(AckLogEntry{r[0].Int(), r[2].Text(), r[3].Text(), r[4].Int() != 0,
                                AlertAck{r[5].Text(), r[6].Text(), r[1].Int()}});
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace vigil::store
