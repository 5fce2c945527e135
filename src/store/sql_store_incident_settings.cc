// SqlStore: the desk's in-app notifications, and its settings (systems, subcategories, small
// JSON values by key: SLA targets, business hours).
#include "common/strings.h"
#include "fmt/format.h"
#include "store/sql_store.h"

namespace vigil::store {
namespace {

absl::StatusOr<int64_t> UnreadCount(SqlSession& s, const std::string& user) {
  VIGIL_ASSIGN_OR_RETURN(SqlRows rows,
                         s.Query("SELECT COUNT(*) FROM desk_notifications WHERE user_name = $1 "
                                 "AND read_at IS NULL",
                                 {Text(user)}));
  return rows.at(0).at(0).Int();
}

}  // namespace

absl::StatusOr<std::vector<DeskNotificationRow>> SqlStore::ListDeskNotifications(
    const std::string& user, bool unread_only, int limit) {
  std::vector<DeskNotificationRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query(fmt::format("SELECT id, user_name, incident_id, kind, text, created_at, read_at, text_en "
                            "FROM desk_notifications WHERE user_name = $1 {} ORDER BY id DESC "
                            "LIMIT $2",
                            unread_only ? "AND read_at IS NULL" : ""),
                {Text(user), Int(limit)}));
    out.clear();
    for (const SqlRow& r : rows) {
      out.push_back(DeskNotificationRow{r[0].Int(), r[1].Text(), r[2].Int(), r[3].Text(),
                                        r[4].Text(), r[5].Int(), r[6].OptInt(), r[7].Text()});
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int64_t> SqlStore::CountUnreadDeskNotifications(const std::string& user) {
  int64_t n = 0;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(n, UnreadCount(s, user));
    return absl::OkStatus();
  }));
  return n;
}

absl::StatusOr<int64_t> SqlStore::MarkDeskNotificationsRead(const std::string& user,
                                                            const std::vector<int64_t>& ids,
                                                            TimeMs at) {
  int64_t n = 0;
  VIGIL_RETURN_IF_ERROR(db_->Write([&](SqlSession& s) -> absl::Status {
    if (ids.empty()) {
      VIGIL_RETURN_IF_ERROR(s.Query("UPDATE desk_notifications SET read_at = $2 WHERE "
                                    "user_name = $1 AND read_at IS NULL",
                                    {Text(user), Int(at)})
                                .status());
    }
    for (int64_t id : ids) {
      VIGIL_RETURN_IF_ERROR(s.Query("UPDATE desk_notifications SET read_at = $2 WHERE "
                                    "user_name = $1 AND id = $3 AND read_at IS NULL",
                                    {Text(user), Int(at), Int(id)})
                                .status());
    }
    VIGIL_ASSIGN_OR_RETURN(n, UnreadCount(s, user));
    return absl::OkStatus();
  }));
  return n;
}

absl::StatusOr<std::vector<std::string>> SqlStore::ListSystems() {
  std::vector<std::string> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows,
                           s.Query("SELECT name FROM desk_systems ORDER BY position"));
    out.clear();
    for (const SqlRow& r : rows) out.push_back(r[0].Text());
    return absl::OkStatus();
  }));
  return out;
}

absl::Status SqlStore::ReplaceSystems(const std::vector<std::string>& systems) {
  return db_->Write([&](SqlSession& s) -> absl::Status {
    VIGIL_RETURN_IF_ERROR(s.Query("DELETE FROM desk_systems").status());
    int64_t position = 0;
    for (const std::string& name : systems) {
      VIGIL_RETURN_IF_ERROR(s.Query("INSERT INTO desk_systems (position, name) VALUES ($1, $2) "
                                    "ON CONFLICT DO NOTHING",
                                    {Int(position++), Text(name)})
                                .status());
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<SubcategoryRow>> SqlStore::ListSubcategories() {
  std::vector<SubcategoryRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows, s.Query("SELECT id, klass, name, disabled FROM desk_subcategories ORDER BY id"));
    out.clear();
    for (const SqlRow& r : rows) {
      out.push_back(SubcategoryRow{r[0].Int(), r[1].Text(), r[2].Text(), r[3].Int() != 0});
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int64_t> SqlStore::CreateSubcategory(const SubcategoryRow& row) {
  int64_t id = 0;
  VIGIL_RETURN_IF_ERROR(db_->Write([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query("INSERT INTO desk_subcategories (klass, name, disabled) VALUES ($1, $2, $3) "
                "ON CONFLICT (klass, name) DO NOTHING RETURNING id",
                {Text(row.klass), Text(row.name), Int(row.disabled ? 1 : 0)}));
    if (rows.empty()) {
      return absl::AlreadyExistsError(AsAbsl(
          fmt::format("name: subcategory '{}' exists already in class {}", row.name, row.klass)));
    }
    id = rows[0][0].Int();
    return absl::OkStatus();
  }));
  return id;
}

absl::Status SqlStore::UpdateSubcategory(const SubcategoryRow& row) {
  return db_->Write([&](SqlSession& s) -> absl::Status {
    auto rows = s.Query("UPDATE desk_subcategories SET name = $2, disabled = $3 WHERE id = $1 "
                        "RETURNING id",
                        {Int(row.id), Text(row.name), Int(row.disabled ? 1 : 0)});
    if (!rows.ok()) {
      // The (class, name) unique key: another subcategory of the class has the name.
      return absl::AlreadyExistsError(
          AsAbsl(fmt::format("name: subcategory '{}' exists already", row.name)));
    }
    if (rows->empty()) {
      return absl::NotFoundError(AsAbsl(fmt::format("no subcategory {}", row.id)));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<std::string>> SqlStore::GetDeskSetting(const std::string& key) {
  return TextByKey("SELECT value FROM desk_settings WHERE key = $1", key);
}

absl::Status SqlStore::PutDeskSetting(const std::string& key, const std::string& json) {
  return db_->Write([&](SqlSession& s) {
    return s.Query("INSERT INTO desk_settings (key, value) VALUES ($1, $2) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                   {Text(key), Text(json)})
        .status();
  });
}

}  // namespace vigil::store
