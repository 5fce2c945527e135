// SqlStore: what hangs off an incident — its conversation and read marks, its history, its
// data-fix scripts and its attachments (written by Commit, sql_store_incidents.cc).
#include "common/strings.h"
#include "fmt/format.h"
#include "store/sql_store.h"

namespace vigil::store {
namespace {

constexpr std::string_view kScriptColumns =
    "id, incident_id, author, description, content, status, reviewer, review_comment, "
    "reviewed_at, executed_by, output, executed_at, created_at";

IncidentScriptRow ScriptOf(const SqlRow& r) {
  IncidentScriptRow x;
  x.id = r[0].Int();
  x.incident_id = r[1].Int();
  x.author = r[2].Text();
  x.description = r[3].Text();
  x.content = r[4].Text();
  x.status = r[5].Text();
  x.reviewer = r[6].Text();
  x.review_comment = r[7].Text();
  x.reviewed_at = r[8].OptInt();
  x.executed_by = r[9].Text();
  x.output = r[10].Text();
  x.executed_at = r[11].OptInt();
  x.created_at = r[12].Int();
  return x;
}

constexpr std::string_view kAttachmentColumns =
    "id, incident_id, message_id, filename, content_type, uploader, size, width, height, "
    "created_at";

AttachmentRow AttachmentOf(const SqlRow& r) {
  AttachmentRow a;
  a.id = r[0].Int();
  a.incident_id = r[1].Int();
  a.message_id = r[2].OptInt();
  a.filename = r[3].Text();
  a.content_type = r[4].Text();
  a.uploader = r[5].Text();
  a.size = r[6].Int();
  a.width = static_cast<int>(r[7].Int());
  a.height = static_cast<int>(r[8].Int());
  a.created_at = r[9].Int();
  return a;
}

}  // namespace

absl::StatusOr<std::vector<IncidentMessageRow>> SqlStore::ListMessages(int64_t incident_id,
                                                                       int64_t after_id, int limit,
                                                                       bool include_internal) {
  std::vector<IncidentMessageRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    out.clear();
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query("SELECT id, incident_id, author, author_role, kind, body, created_at FROM "
                "incident_messages WHERE incident_id = $1 AND id > $2 AND (kind <> 'internal' "
                "OR $3 = 1) ORDER BY id LIMIT $4",
                {Int(incident_id), Int(after_id), Int(include_internal ? 1 : 0), Int(limit)}));
    if (rows.empty()) return absl::OkStatus();
    for (const SqlRow& r : rows) {
      out.push_back(IncidentMessageRow{r[0].Int(), r[1].Int(), r[2].Text(), r[3].Text(),
                                       r[4].Text(), r[5].Text(), {}, r[6].Int()});
    }
    // The attachments of these messages, in one query over the incident's attachments.
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows links, s.Query("SELECT message_id, id FROM incident_attachments WHERE "
                               "incident_id = $1 AND message_id BETWEEN $2 AND $3 ORDER BY id",
                               {Int(incident_id), Int(out.front().id), Int(out.back().id)}));
    for (const SqlRow& l : links) {
      for (IncidentMessageRow& m : out) {
        if (m.id == l[0].Int()) m.attachment_ids.push_back(l[1].Int());
      }
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::map<int64_t, int64_t>> SqlStore::CountUnread(
    const std::vector<int64_t>& incident_ids, int64_t user_id, bool include_internal) {
  std::map<int64_t, int64_t> out;
  if (incident_ids.empty()) return out;
  std::vector<SqlParam> params = {Int(user_id), Int(include_internal ? 1 : 0)};
  std::string list;
  for (int64_t id : incident_ids) {
    params.push_back(Int(id));
    list += fmt::format("{}${}", list.empty() ? "" : ", ", params.size());
  }
  const std::string sql = fmt::format(
      "SELECT m.incident_id, COUNT(*) FROM incident_messages m LEFT JOIN incident_reads r ON "
      "r.incident_id = m.incident_id AND r.user_id = $1 WHERE m.incident_id IN ({}) AND "
      "m.id > COALESCE(r.message_id, 0) AND (m.kind <> 'internal' OR $2 = 1) "
      "GROUP BY m.incident_id",
      list);
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows, s.Query(sql, params));
    out.clear();
    for (const SqlRow& r : rows) out[r[0].Int()] = r[1].Int();
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int64_t> SqlStore::GetReadMark(int64_t incident_id, int64_t user_id) {
  int64_t mark = 0;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows,
                           s.Query("SELECT message_id FROM incident_reads WHERE incident_id = $1 "
                                   "AND user_id = $2",
                                   {Int(incident_id), Int(user_id)}));
    mark = rows.empty() ? 0 : rows[0][0].Int();
    return absl::OkStatus();
  }));
  return mark;
}

absl::StatusOr<int64_t> SqlStore::SetReadMark(int64_t incident_id, int64_t user_id,
                                              int64_t message_id) {
  int64_t mark = 0;
  VIGIL_RETURN_IF_ERROR(db_->Write([&](SqlSession& s) -> absl::Status {
    // CASE, not GREATEST / MAX: the same text on both databases; the mark never moves back.
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query("INSERT INTO incident_reads (incident_id, user_id, message_id) VALUES ($1, $2, "
                "$3) ON CONFLICT (incident_id, user_id) DO UPDATE SET message_id = CASE WHEN "
                "excluded.message_id > incident_reads.message_id THEN excluded.message_id ELSE "
                "incident_reads.message_id END RETURNING message_id",
                {Int(incident_id), Int(user_id), Int(message_id)}));
    mark = rows.at(0).at(0).Int();
    return absl::OkStatus();
  }));
  return mark;
}

absl::StatusOr<std::vector<IncidentHistoryRow>> SqlStore::ListHistory(int64_t incident_id) {
  std::vector<IncidentHistoryRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query("SELECT id, incident_id, at, actor, action, from_status, to_status, detail_json "
                "FROM incident_history WHERE incident_id = $1 ORDER BY id",
                {Int(incident_id)}));
    out.clear();
    for (const SqlRow& r : rows) {
      out.push_back(IncidentHistoryRow{r[0].Int(), r[1].Int(), r[2].Int(), r[3].Text(),
                                       r[4].Text(), r[5].Text(), r[6].Text(), r[7].Text()});
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<IncidentScriptRow>> SqlStore::ListScripts(int64_t incident_id) {
  std::vector<IncidentScriptRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows, s.Query(fmt::format("SELECT {} FROM incident_scripts WHERE incident_id = "
                                          "$1 ORDER BY id",
                                          kScriptColumns),
                              {Int(incident_id)}));
    out.clear();
    for (const SqlRow& r : rows) out.push_back(ScriptOf(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::optional<IncidentScriptRow>> SqlStore::GetScript(int64_t id) {
  std::optional<IncidentScriptRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query(fmt::format("SELECT {} FROM incident_scripts WHERE id = $1", kScriptColumns),
                {Int(id)}));
    out.reset();
    if (!rows.empty()) out = ScriptOf(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<AttachmentRow>> SqlStore::ListAttachments(int64_t incident_id) {
  std::vector<AttachmentRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows, s.Query(fmt::format("SELECT {} FROM incident_attachments WHERE "
                                          "incident_id = $1 ORDER BY id",
                                          kAttachmentColumns),
                              {Int(incident_id)}));
    out.clear();
    for (const SqlRow& r : rows) out.push_back(AttachmentOf(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::optional<AttachmentRow>> SqlStore::GetAttachment(int64_t id) {
  std::optional<AttachmentRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows, s.Query(fmt::format("SELECT {}, bytes FROM incident_attachments WHERE "
                                          "id = $1",
                                          kAttachmentColumns),
                              {Int(id)}));
    out.reset();
    if (rows.empty()) return absl::OkStatus();
    out = AttachmentOf(rows[0]);
    out->bytes = rows[0][10].Text();
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace vigil::store
