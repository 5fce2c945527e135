// SqlStore as the incidents' store: the incident rows, the queue query, and Commit, which
// writes one change (incident + history + message / script / attachment + notifications) in
// one transaction with an optimistic version check.
#include <algorithm>

#include "common/strings.h"
#include "fmt/format.h"
#include "store/sql_store.h"
#include "store/text_search.h"

namespace vigil::store {
namespace {

// Every column after id and version, in IncidentRow's order ($3 .. $36 in writes).
constexpr std::string_view kColumns =
    "title, description, system, customer_no, account, customer_name, phone, occurred_at, "
    "status, priority, klass, subcategory_id, channel, reporter_id, reporter, assignee, "
    "group_name, alert_fingerprint, external_ref, created_at, updated_at, first_response_at, "
    "resolved_at, closed_at, last_message_at, reopened, cause, solution, first_response_due, "
    "resolution_due, sla_state, first_response_state";
constexpr int kColumnCount = 32;

std::vector<SqlParam> ColumnParams(const IncidentRow& r) {
  return {Text(r.title), Text(r.description), Text(r.system), Text(r.customer_no),
          Text(r.account), Text(r.customer_name), Text(r.phone), Int(r.occurred_at),
          Text(r.status), Text(r.priority), Text(r.klass), Int(r.subcategory_id),
          Text(r.channel), Int(r.reporter_id), Text(r.reporter), Text(r.assignee),
          Text(r.group), Text(r.alert_fingerprint), Text(r.external_ref), Int(r.created_at),
          Int(r.updated_at), Int(r.first_response_at), Int(r.resolved_at), Int(r.closed_at),
          Int(r.last_message_at), Int(r.reopened), Text(r.cause), Text(r.solution),
          Int(r.first_response_due), Int(r.resolution_due), Text(r.sla_state),
          Text(r.first_response_state)};
}

IncidentRow IncidentOf(const SqlRow& c) {
  IncidentRow r;
  int i = 0;
  r.id = c[i++].Int();
  r.version = c[i++].Int();
  r.title = c[i++].Text();
  r.description = c[i++].Text();
  r.system = c[i++].Text();
  r.customer_no = c[i++].Text();
  r.account = c[i++].Text();
  r.customer_name = c[i++].Text();
  r.phone = c[i++].Text();
  r.occurred_at = c[i++].OptInt();
  r.status = c[i++].Text();
  r.priority = c[i++].Text();
  r.klass = c[i++].Text();
  r.subcategory_id = c[i++].OptInt();
  r.channel = c[i++].Text();
  r.reporter_id = c[i++].Int();
  r.reporter = c[i++].Text();
  r.assignee = c[i++].Text();
  r.group = c[i++].Text();
  r.alert_fingerprint = c[i++].Text();
  r.external_ref = c[i++].Text();
  r.created_at = c[i++].Int();
  r.updated_at = c[i++].Int();
  r.first_response_at = c[i++].OptInt();
  r.resolved_at = c[i++].OptInt();
  r.closed_at = c[i++].OptInt();
  r.last_message_at = c[i++].OptInt();
  r.reopened = c[i++].Int();
  r.cause = c[i++].Text();
  r.solution = c[i++].Text();
  r.first_response_due = c[i++].Int();
  r.resolution_due = c[i++].Int();
  r.sla_state = c[i++].Text();
  r.first_response_state = c[i++].Text();
  return r;
}

std::string SelectIncidents() { return fmt::format("SELECT id, version, {} FROM incidents", kColumns); }

absl::Status WriteIncident(SqlSession& s, IncidentRow* r) {
  std::vector<SqlParam> params = ColumnParams(*r);
  if (r->id == 0) {
    std::string marks;
    for (int k = 1; k <= kColumnCount; ++k) marks += fmt::format("{}${}", k > 1 ? ", " : "", k);
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows, s.Query(fmt::format("INSERT INTO incidents (version, {}) VALUES (0, {}) "
                                          "RETURNING id",
                                          kColumns, marks),
                              params));
    r->id = rows.at(0).at(0).Int();
    r->version = 0;
    return absl::OkStatus();
  }
  std::string sets;
  int k = 0;
  for (std::string_view rest = kColumns; !rest.empty();) {
    const size_t comma = rest.find(", ");
    const std::string_view col = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
    ++k;
    sets += fmt::format("{}{} = ${}", k > 1 ? ", " : "", col, k);
  }
  params.push_back(Int(r->id));
  params.push_back(Int(r->version));
  VIGIL_ASSIGN_OR_RETURN(
      SqlRows rows,
      s.Query(fmt::format("UPDATE incidents SET version = version + 1, {} WHERE id = ${} AND "
                          "version = ${} RETURNING version",
                          sets, kColumnCount + 1, kColumnCount + 2),
              params));
  if (rows.empty()) {
    return absl::AbortedError(AsAbsl(fmt::format(
        "incident {} was changed by someone else meanwhile; reload and try again", r->id)));
  }
  r->version = rows[0][0].Int();
  return absl::OkStatus();
}

absl::Status WriteMessage(SqlSession& s, IncidentMessageRow* m, IncidentRow* incident) {
  m->incident_id = incident->id;
  VIGIL_ASSIGN_OR_RETURN(
      SqlRows rows,
      s.Query("INSERT INTO incident_messages (incident_id, author, author_role, kind, body, "
              "created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
              {Int(m->incident_id), Text(m->author), Text(m->author_role), Text(m->kind),
               Text(m->body), Int(m->created_at)}));
  m->id = rows.at(0).at(0).Int();
  for (int64_t a : m->attachment_ids) {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows linked,
        s.Query("UPDATE incident_attachments SET message_id = $1 WHERE id = $2 AND "
                "incident_id = $3 AND message_id IS NULL RETURNING id",
                {Int(m->id), Int(a), Int(incident->id)}));
    if (linked.empty()) {
      return absl::InvalidArgumentError(AsAbsl(fmt::format(
          "attachment_ids: {} is not an unused attachment of incident {}", a, incident->id)));
    }
  }
  return s.Query("UPDATE incidents SET last_message_at = $2 WHERE id = $1",
                 {Int(incident->id), Int(m->created_at)})
      .status();
}

absl::Status WriteScript(SqlSession& s, IncidentScriptRow* x, int64_t incident_id) {
  x->incident_id = incident_id;
  std::vector<SqlParam> p = {Int(x->incident_id), Text(x->author), Text(x->description),
                             Text(x->content), Text(x->status), Text(x->reviewer),
                             Text(x->review_comment), Int(x->reviewed_at), Text(x->executed_by),
                             Text(x->output), Int(x->executed_at), Int(x->created_at)};
  if (x->id == 0) {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query("INSERT INTO incident_scripts (incident_id, author, description, content, "
                "status, reviewer, review_comment, reviewed_at, executed_by, output, "
                "executed_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                "$11, $12) RETURNING id",
                p));
    x->id = rows.at(0).at(0).Int();
    return absl::OkStatus();
  }
  p.push_back(Int(x->id));
  VIGIL_ASSIGN_OR_RETURN(
      SqlRows rows,
      s.Query("UPDATE incident_scripts SET status = $5, reviewer = $6, review_comment = $7, "
              "reviewed_at = $8, executed_by = $9, output = $10, executed_at = $11 "
              "WHERE id = $13 AND incident_id = $1 AND author = $2 AND description = $3 AND "
              "content = $4 AND created_at = $12 RETURNING id",
              p));
  if (rows.empty()) return absl::NotFoundError(AsAbsl(fmt::format("no script {}", x->id)));
  return absl::OkStatus();
}

absl::Status WriteAttachment(SqlSession& s, AttachmentRow* a, int64_t incident_id) {
  a->incident_id = incident_id;
  VIGIL_ASSIGN_OR_RETURN(
      SqlRows rows,
      s.Query("INSERT INTO incident_attachments (incident_id, message_id, filename, "
              "content_type, uploader, size, width, height, bytes, created_at) VALUES ($1, $2, "
              "$3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
              {Int(a->incident_id), Int(a->message_id), Text(a->filename), Text(a->content_type),
               Text(a->uploader), Int(static_cast<int64_t>(a->bytes.size())), Int(a->width),
               Int(a->height), Blob(a->bytes), Int(a->created_at)}));
  a->id = rows.at(0).at(0).Int();
  a->size = static_cast<int64_t>(a->bytes.size());
  return absl::OkStatus();
}

absl::Status WriteChange(SqlSession& s, IncidentChange* c) {
  VIGIL_RETURN_IF_ERROR(WriteIncident(s, &c->incident));
  const int64_t id = c->incident.id;
  if (c->attachment) VIGIL_RETURN_IF_ERROR(WriteAttachment(s, &*c->attachment, id));
  if (c->message) {
    VIGIL_RETURN_IF_ERROR(WriteMessage(s, &*c->message, &c->incident));
    c->incident.last_message_at = c->message->created_at;
  }
  if (c->script) VIGIL_RETURN_IF_ERROR(WriteScript(s, &*c->script, id));
  for (IncidentHistoryRow& h : c->history) {
    h.incident_id = id;
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query("INSERT INTO incident_history (incident_id, at, actor, action, from_status, "
                "to_status, detail_json) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                {Int(id), Int(h.at), Text(h.actor), Text(h.action), Text(h.from_status),
                 Text(h.to_status), Text(h.detail_json.empty() ? "{}" : h.detail_json)}));
    h.id = rows.at(0).at(0).Int();
  }
  const std::string ref = fmt::format("INC-{:06d}", id);
  for (DeskNotificationRow& n : c->notifications) {
    n.incident_id = id;
    for (std::string* text : {&n.text, &n.text_en}) {
      for (size_t at; (at = text->find(kNewIncidentRef)) != std::string::npos;) {
        text->replace(at, kNewIncidentRef.size(), ref);
      }
    }
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query("INSERT INTO desk_notifications (user_name, incident_id, kind, text, "
                "created_at, text_en) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                {Text(n.user), Int(id), Text(n.kind), Text(n.text), Int(n.created_at),
                 Text(n.text_en)}));
    n.id = rows.at(0).at(0).Int();
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SqlStore::CommitIncident(IncidentChange* change) {
  IncidentChange copy = *change;  // the transaction may run twice: start from the input each time
  VIGIL_RETURN_IF_ERROR(db_->Write([&](SqlSession& s) {
    copy = *change;
    return WriteChange(s, &copy);
  }));
  *change = std::move(copy);
  return absl::OkStatus();
}

absl::Status SqlStore::CommitIncidents(std::vector<IncidentChange>* changes) {
  std::vector<IncidentChange> copy;
  VIGIL_RETURN_IF_ERROR(db_->Write([&](SqlSession& s) -> absl::Status {
    copy = *changes;
    for (IncidentChange& c : copy) VIGIL_RETURN_IF_ERROR(WriteChange(s, &c));
    return absl::OkStatus();
  }));
  *changes = std::move(copy);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<IncidentRow>> SqlStore::GetIncident(int64_t id) {
  std::optional<IncidentRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows, s.Query(SelectIncidents() + " WHERE id = $1", {Int(id)}));
    out.reset();
    if (!rows.empty()) out = IncidentOf(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<IncidentRow>> SqlStore::ListIncidents(const IncidentQuery& q) {
  std::vector<IncidentRow> out;
  if (q.limit <= 0) return out;
  // Lists and ORs are split into one query per value, merged: each walks its (column, id)
  // index backwards and stops at the page, where `status IN (...)` would sort every matching
  // row (all the closed ones) and `sla_state = ? OR first_response_state = ?` scan the table.
  std::vector<IncidentQuery> parts;
  if (q.statuses.size() > 1) {
    for (const std::string& status : q.statuses) {
      parts.push_back(q);
      parts.back().statuses = {status};
    }
  } else if (!q.sla_states.empty()) {
    for (const std::string& state : q.sla_states) {
      parts.push_back(q);
      parts.back().sla_states.clear();
      parts.back().sla_state = state;
      parts.push_back(parts.back());
      parts.back().sla_state.reset();
      parts.back().first_response_state = state;
    }
  }
  if (!parts.empty()) {
    for (const IncidentQuery& one : parts) {
      VIGIL_ASSIGN_OR_RETURN(std::vector<IncidentRow> rows, ListIncidents(one));
      for (IncidentRow& r : rows) out.push_back(std::move(r));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
    out.erase(std::unique(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id == b.id; }),
              out.end());
    if (out.size() > static_cast<size_t>(q.limit)) out.resize(static_cast<size_t>(q.limit));
    return out;
  }
  std::string sql = SelectIncidents() + " WHERE 1 = 1";
  std::vector<SqlParam> params;
  auto param = [&](SqlParam p) {
    params.push_back(p);
    return fmt::format("${}", params.size());
  };
  auto any_of = [&](std::string_view column, const std::vector<std::string>& values) {
    std::string list;
    for (const std::string& v : values) list += (list.empty() ? "" : ", ") + param(Text(v));
    return fmt::format("{} IN ({})", column, list);
  };
  if (!q.statuses.empty()) sql += " AND " + any_of("status", q.statuses);
  if (q.system) sql += " AND system = " + param(Text(*q.system));
  if (q.klass) sql += " AND klass = " + param(Text(*q.klass));
  if (q.priority) sql += " AND priority = " + param(Text(*q.priority));
  if (q.assignee) sql += " AND assignee = " + param(Text(*q.assignee));
  if (q.group) sql += " AND group_name = " + param(Text(*q.group));
  if (q.reporter_id) sql += " AND reporter_id = " + param(Int(*q.reporter_id));
  if (q.sla_state) sql += " AND sla_state = " + param(Text(*q.sla_state));
  if (q.first_response_state) sql += " AND first_response_state = " + param(Text(*q.first_response_state));
  if (q.scope_reporter_id) {
    std::string scope = "reporter_id = " + param(Int(*q.scope_reporter_id));
    if (!q.scope_groups.empty()) scope += " OR " + any_of("group_name", q.scope_groups);
    sql += " AND (" + scope + ")";
  }
  TextMatch text;  // outlives the query: its value is bound as a view
  if (q.contains) {
    text = IncidentTextMatch(db_->dialect().text_index, *q.contains, q.ref_id.has_value());
    const std::string term = param(Text(text.value));
    const std::string id = q.ref_id ? param(Int(*q.ref_id)) : "";
    sql += " AND " + fmt::format(fmt::runtime(text.condition), term, id);
  }
  if (q.before_id > 0) sql += " AND id < " + param(Int(q.before_id));
  sql += " ORDER BY id DESC LIMIT " + param(Int(q.limit));
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows, s.Query(sql, params));
    out.clear();
    for (const SqlRow& r : rows) out.push_back(IncidentOf(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::optional<IncidentRow>> SqlStore::OpenIncidentForAlert(
    const std::string& fingerprint) {
  std::optional<IncidentRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows, s.Query(SelectIncidents() + " WHERE alert_fingerprint = $1 AND "
                                                  "alert_fingerprint <> '' AND status <> 'closed' "
                                                  "ORDER BY id DESC LIMIT 1",
                              {Text(fingerprint)}));
    out.reset();
    if (!rows.empty()) out = IncidentOf(rows[0]);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::map<std::string, std::string>> SqlStore::FindExternalRefs(
    const std::vector<std::string>& external_refs) {
  std::map<std::string, std::string> found;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    found.clear();
    for (const std::string& ref : external_refs) {
      if (ref.empty() || found.count(ref)) continue;
      VIGIL_ASSIGN_OR_RETURN(SqlRows rows,
                             s.Query("SELECT id FROM incidents WHERE external_ref = $1 "
                                     "ORDER BY id LIMIT 1",
                                     {Text(ref)}));
      if (!rows.empty()) found[ref] = fmt::format("INC-{:06d}", rows[0][0].Int());
    }
    return absl::OkStatus();
  }));
  return found;
}

absl::StatusOr<std::vector<IncidentRow>> SqlStore::OpenIncidents() {
  std::vector<IncidentRow> out;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows, s.Query(SelectIncidents() +
                              " WHERE status IN ('new', 'accepted', 'transferred') ORDER BY id"));
    out.clear();
    for (const SqlRow& r : rows) out.push_back(IncidentOf(r));
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace vigil::store
