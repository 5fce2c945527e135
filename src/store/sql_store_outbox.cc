// SqlStore: the notification outbox. Enqueueing is idempotent on dedup_key (a UNIQUE column and
// ON CONFLICT DO NOTHING), so a restart that renders the same notification again queues nothing
// new.
#include "common/strings.h"
#include "fmt/format.h"
#include "store/sql_store.h"

namespace vigil::store {
namespace {

constexpr std::string_view kColumns =
    "id, dedup_key, receiver, group_key, payload_json, created_at, next_attempt_at, attempts, "
    "state, last_error, delivered_at";

Notification NotificationOf(const SqlRow& r) {
  Notification n;
  n.id = r[0].Int();
  n.dedup_key = r[1].Text();
  n.receiver = r[2].Text();
  n.group_key = r[3].Text();
  n.payload_json = r[4].Text();
  n.created_at = r[5].Int();
  n.next_attempt_at = r[6].Int();
  n.attempts = static_cast<int>(r[7].Int());
  n.state = static_cast<DeliveryState>(r[8].Int());
  n.last_error = r[9].Text();
  n.delivered_at = r[10].OptInt();
  return n;
}

constexpr int64_t StateCode(DeliveryState s) { return static_cast<int64_t>(s); }

}  // namespace

absl::Status SqlStore::Enqueue(std::vector<Notification>* batch) {
  return db_->Write([&](SqlSession& s) -> absl::Status {
    for (Notification& n : *batch) {
      VIGIL_ASSIGN_OR_RETURN(
          SqlRows rows,
          s.Query("INSERT INTO notification (dedup_key, receiver, group_key, payload_json, "
                  "created_at, next_attempt_at, attempts, state, last_error) "
                  "VALUES ($1, $2, $3, $4, $5, $6, 0, 0, '') "
                  "ON CONFLICT (dedup_key) DO NOTHING RETURNING id",
                  {Text(n.dedup_key), Text(n.receiver), Text(n.group_key), Text(n.payload_json),
                   Int(n.created_at), Int(n.next_attempt_at)}));
      n.id = rows.empty() ? 0 : rows[0][0].Int();
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Notification>> SqlStore::DueNotifications(TimeMs now, int limit) {
  std::vector<Notification> out;
  if (limit <= 0) return out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query(fmt::format("SELECT {} FROM notification WHERE state = 0 AND next_attempt_at <= $1 "
                            "ORDER BY created_at, id LIMIT $2",
                            kColumns),
                {Int(now), Int(limit)}));
    out.clear();
    for (const SqlRow& r : rows) out.push_back(NotificationOf(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status SqlStore::MarkDelivered(int64_t id, TimeMs at) {
  return UpdateOne(
      "UPDATE notification SET state = $2, delivered_at = $3, attempts = attempts + 1 "
      "WHERE id = $1 RETURNING id",
      {Int(id), Int(StateCode(DeliveryState::kDelivered)), Int(at)},
      fmt::format("notification {}", id));
}

absl::Status SqlStore::MarkRetry(int64_t id, TimeMs next_attempt_at, const std::string& error) {
  return UpdateOne(
      "UPDATE notification SET next_attempt_at = $2, last_error = $3, attempts = attempts + 1 "
      "WHERE id = $1 RETURNING id",
      {Int(id), Int(next_attempt_at), Text(error)}, fmt::format("notification {}", id));
}

absl::Status SqlStore::MarkGaveUp(int64_t id, const std::string& error) {
  return UpdateOne(
      "UPDATE notification SET state = $2, last_error = $3, attempts = attempts + 1 "
      "WHERE id = $1 RETURNING id",
      {Int(id), Int(StateCode(DeliveryState::kGaveUp)), Text(error)},
      fmt::format("notification {}", id));
}

absl::StatusOr<OutboxStats> SqlStore::Outbox() {
  OutboxStats out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows,
                           s.Query("SELECT state, COUNT(*) FROM notification GROUP BY state"));
    out = OutboxStats{};
    for (const SqlRow& r : rows) {
      switch (static_cast<DeliveryState>(r[0].Int())) {
        case DeliveryState::kPending: out.pending = r[1].Int(); break;
        case DeliveryState::kDelivered: out.delivered = r[1].Int(); break;
        case DeliveryState::kGaveUp: out.gave_up = r[1].Int(); break;
      }
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::optional<TimeMs>> SqlStore::NextAttempt() {
  std::optional<TimeMs> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows, s.Query("SELECT MIN(next_attempt_at) FROM notification WHERE state = 0"));
    out = rows.empty() ? std::nullopt : rows[0][0].OptInt();
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace vigil::store
