// The incident service's core: reading with the 404 rule, the change loop (commit, retry on a
// lost race, announce), creation, the queue, the incident page and edits.
#include "desk/incidents.h"

#include <algorithm>

#include "common/strings.h"
#include "desk/incidents_internal.h"
#include "desk/notify_text.h"
#include "desk/policy.h"
#include "desk/roles.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace vigil::desk {

std::string Excerpt(std::string_view text) {
  if (text.size() <= 200) return std::string(text);
  size_t n = 200;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return std::string(text.substr(0, n)) + "…";
}

std::string IncidentRef(int64_t id) { return fmt::format("INC-{:06d}", id); }

absl::Status CheckText(std::string_view field, std::string_view value, size_t max_bytes,
                       bool required) {
  if (required && value.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return absl::InvalidArgumentError(AsAbsl(fmt::format("{}: required", field)));
  }
  if (value.size() > max_bytes) {
    return absl::InvalidArgumentError(
        AsAbsl(fmt::format("{}: at most {} bytes (got {})", field, max_bytes, value.size())));
  }
  return absl::OkStatus();
}

IncidentService::IncidentService(store::IncidentStore* store, store::DeskStore* users,
                                 Clock* clock, CalendarSource calendar)
    : store_(store), users_(users), clock_(clock), calendar_(std::move(calendar)) {}

void IncidentService::AddListener(DeskEventListener listener) {
  std::lock_guard lock(mu_);
  listeners_.push_back(std::move(listener));
}

void IncidentService::AddNotificationListener(NotificationListener listener) {
  std::lock_guard lock(mu_);
  notification_listeners_.push_back(std::move(listener));
}

bool IncidentService::MayRead(const Principal& who, const store::IncidentRow& row) {
  return Allowed(who, Action::kReadIncident, {row.reporter_id, row.group});
}

bool IncidentService::SeesInternal(const Principal& who, const store::IncidentRow& row) {
  return Allowed(who, Action::kAssistIncident, {row.reporter_id, row.group});
}

bool IncidentService::CustomerInClear(const Principal& who, const store::IncidentRow& row) {
  return Allowed(who, Action::kHandleIncident) ||
         (row.reporter_id != 0 && row.reporter_id == who.user_id);
}

IncidentView IncidentService::ViewOf(const Principal& who, store::IncidentRow row) {
  IncidentView v;
  v.customer_in_clear = CustomerInClear(who, row);
  v.subcategory = SubcategoryName(row.subcategory_id);
  v.row = std::move(row);
  return v;
}

absl::StatusOr<store::IncidentRow> IncidentService::Readable(const Principal& who, int64_t id) {
  auto row = store_->GetIncident(id);
  if (!row.ok()) return row.status();
  // Not there and not yours answer the same, so ids cannot be probed.
  if (!row->has_value() || !MayRead(who, **row)) {
    return absl::NotFoundError(AsAbsl(fmt::format("no incident {}", id)));
  }
  return std::move(**row);
}

absl::StatusOr<IncidentView> IncidentService::View(const Principal& who, int64_t id) {
  auto row = Readable(who, id);
  if (!row.ok()) return row.status();
  IncidentView v = ViewOf(who, std::move(*row));
  auto unread = store_->CountUnread({id}, who.user_id, SeesInternal(who, v.row));
  if (unread.ok()) v.unread = (*unread)[id];
  return v;
}

absl::StatusOr<std::vector<std::string>> IncidentService::UsersWhere(
    const std::function<bool(const store::UserRow&)>& f) {
  auto users = users_->ListUsers();
  if (!users.ok()) return users.status();
  std::vector<std::string> names;
  for (const store::UserRow& u : *users) {
    if (!u.disabled && f(u)) names.push_back(u.name);
  }
  return names;
}

DeskEvent IncidentService::EventOf(const store::IncidentRow& r, DeskEventKind kind,
                                   const std::string& actor) {
  DeskEvent e;
  e.kind = kind;
  e.at = clock_->Now();
  e.incident_id = r.id;
  e.ref = IncidentRef(r.id);
  e.title = r.title;
  e.system = r.system;
  e.priority = r.priority;
  e.actor = actor;
  e.reporter = r.reporter;
  e.assignee = r.assignee;
  e.group = r.group;
  e.to_status = r.status;
  return e;
}

// Who gets an in-app notification of the event (docs/desk-api.md, Notifications).
void IncidentService::Notify(Pending& p, const DeskEvent& e) {
  std::vector<std::string> to;
  auto add = [&](const std::string& name) {
    if (!name.empty() && name != e.actor && std::find(to.begin(), to.end(), name) == to.end()) {
      to.push_back(name);
    }
  };
  auto add_all = [&](const std::function<bool(const store::UserRow&)>& f) {
    auto names = UsersWhere(f);
    if (names.ok()) for (const auto& n : *names) add(n);
  };
  auto is_handler = [](const store::UserRow& u) { return u.role == "handler"; };
  auto in_group = [](std::string g) {
    return [g](const store::UserRow& u) {
      return u.role == "member" && std::find(u.groups.begin(), u.groups.end(), g) != u.groups.end();
    };
  };
  const bool reporter_is_user = p.row().reporter_id != 0;
  switch (e.kind) {
    case DeskEventKind::kIncidentCreated: add_all(is_handler); break;
    case DeskEventKind::kMessagePosted:
      if (!e.internal && reporter_is_user) add(e.reporter);
      add(e.assignee);
      break;
    case DeskEventKind::kStatusChanged:
      if (reporter_is_user) add(e.reporter);
      if (e.action == "transfer") add_all(in_group(e.group));
      if (e.action == "return" || e.action == "reopen" || e.action == "confirm") add(e.assignee);
      break;
    case DeskEventKind::kAssigned: add(e.assignee); break;
    case DeskEventKind::kUpdated: break;
    case DeskEventKind::kScriptAdded: add_all(in_group("ops")); break;
    case DeskEventKind::kScriptReviewed: add(e.script_author); break;
    case DeskEventKind::kScriptResult:
      add(e.script_author);
      add(e.assignee);
      break;
    case DeskEventKind::kSlaAtRisk:
    case DeskEventKind::kSlaBreached:
      if (!e.assignee.empty()) add(e.assignee);
      else add_all(is_handler);
      break;
  }
  DeskEvent shown = e;
  if (shown.incident_id == 0) shown.ref = std::string(store::kNewIncidentRef);  // not known yet
  const std::string text = RenderDeskEvent(shown, "zh", "").text;
  const std::string text_en = RenderDeskEvent(shown, "en", "").text;
  for (const std::string& user : to) {
    p.change.notifications.push_back({0, user, 0, std::string(DeskEventKindName(e.kind)), text,
                                      p.now, std::nullopt, text_en});
  }
  p.events.push_back(e);
}

absl::Status IncidentService::CommitAndAnnounce(Pending& p) {
  p.row().updated_at = p.now;
  if (auto s = store_->CommitIncident(&p.change); !s.ok()) return s;
  std::vector<DeskEventListener> listeners;
  std::vector<NotificationListener> notification_listeners;
  {
    std::lock_guard lock(mu_);
    listeners = listeners_;
    notification_listeners = notification_listeners_;
  }
  for (DeskEvent& e : p.events) {
    e.incident_id = p.row().id;
    e.ref = IncidentRef(p.row().id);
    if (e.kind == DeskEventKind::kMessagePosted && p.change.message) {
      e.message_id = p.change.message->id;
    }
    if (p.change.script && e.script_id == 0 &&
        (e.kind == DeskEventKind::kScriptAdded || e.kind == DeskEventKind::kScriptReviewed ||
         e.kind == DeskEventKind::kScriptResult)) {
      e.script_id = p.change.script->id;
    }
    for (const auto& l : listeners) l(e);
  }
  if (!p.change.notifications.empty()) {
    for (const auto& l : notification_listeners) l(p.change.notifications);
  }
  return absl::OkStatus();
}

absl::StatusOr<store::IncidentChange> IncidentService::Mutate(const Principal& who, int64_t id,
                                                              const MutateFn& fn) {
  for (int attempt = 0;; ++attempt) {
    auto row = Readable(who, id);
    if (!row.ok()) return row.status();
    Pending p;
    p.who = &who;
    p.now = clock_->Now();
    p.change.incident = std::move(*row);
    if (auto s = fn(p); !s.ok()) return s;
    const store::IncidentChange& c = p.change;
    if (c.history.empty() && !c.message && !c.script && !c.attachment) return c;
    absl::Status s = CommitAndAnnounce(p);
    if (s.ok()) return std::move(p.change);
    if (s.code() != absl::StatusCode::kAborted || attempt >= 2) return s;
  }
}

absl::StatusOr<IncidentView> IncidentService::Create(const Principal& who, const NewIncident& in) {
  auto settings = Settings();
  if (!settings.ok()) return settings.status();
  store::IncidentRow r;
  r.title = in.title;
  r.description = in.description;
  r.system = in.system;
  r.customer_no = in.customer_no;
  r.account = in.account;
  r.customer_name = in.customer_name;
  r.phone = in.phone;
  r.occurred_at = in.occurred_at;
  r.priority = in.priority.value_or("P3");
  r.klass = in.klass.value_or("");
  r.subcategory_id = in.subcategory_id;
  r.channel = in.channel.value_or(who.role == Role::kReporter ? "mss" : "desk");
  for (auto [field, value, max] : {std::tuple{"title", &r.title, 500}, {"description", &r.description, 20000},
                                   {"customer.customer_no", &r.customer_no, 64},
                                   {"customer.account", &r.account, 64},
                                   {"customer.name", &r.customer_name, 200},
                                   {"customer.phone", &r.phone, 64}}) {
    const bool required = std::string_view(field) == "title" || std::string_view(field) == "description";
    if (auto s = CheckText(field, *value, max, required); !s.ok()) return s;
  }
  static const std::vector<std::string> kChannels = {"mss", "desk", "api"};
  if (std::find(kChannels.begin(), kChannels.end(), r.channel) == kChannels.end()) {
    return absl::InvalidArgumentError(AsAbsl(
        fmt::format("channel: '{}' is not one of mss, desk, api", r.channel)));
  }
  std::string sub_class;
  if (auto s = CheckFields(*settings, r.system, r.priority, r.klass, r.subcategory_id, &sub_class);
      !s.ok()) {
    return s;
  }
  if (r.klass.empty()) r.klass = sub_class;
  r.reporter_id = who.user_id;
  r.reporter = who.name;
  Pending p;
  p.who = &who;
  p.now = clock_->Now();
  r.created_at = r.updated_at = p.now;
  ComputeDue(*settings, &r);
  p.change.incident = std::move(r);
  p.History("create", "", "new", nlohmann::json{{"channel", p.row().channel}}.dump());
  Notify(p, EventOf(p.row(), DeskEventKind::kIncidentCreated, who.name));
  if (auto s = CommitAndAnnounce(p); !s.ok()) return s;
  return ViewOf(who, std::move(p.change.incident));
}

absl::StatusOr<IncidentPage> IncidentService::List(const Principal& who, const IncidentFilter& f) {
  store::IncidentQuery q;
  q.statuses = f.statuses;
  q.system = f.system;
  q.klass = f.klass;
  q.priority = f.priority;
  q.group = f.group;
  q.sla_states = f.sla;
  if (f.assignee) q.assignee = *f.assignee == "me" ? who.name : *f.assignee;
  if (f.reporter) {
    if (*f.reporter == "me") {
      q.reporter_id = who.user_id;
    } else {
      auto u = users_->GetUser(*f.reporter);
      if (!u.ok()) return u.status();
      q.reporter_id = u->has_value() ? (*u)->id : -1;
    }
  }
  if (f.q && !f.q->empty()) {
    q.contains = *f.q;
    int64_t ref = 0;
    std::string_view text = *f.q;
    if (text.size() > 4 && (text.substr(0, 4) == "INC-" || text.substr(0, 4) == "inc-")) text.remove_prefix(4);
    if (!text.empty() && text.size() < 16 && text.find_first_not_of("0123456789") == std::string_view::npos) {
      ref = std::stoll(std::string(text));
      q.ref_id = ref;
    }
  }
  // The caller's scope, in SQL: a reporter only their own; a member their own and their groups'.
  if (!Allowed(who, Action::kHandleIncident)) {
    q.scope_reporter_id = who.user_id;
    if (who.role == Role::kMember) q.scope_groups = who.groups;
  }
  q.before_id = f.before_id;
  q.limit = std::clamp(f.limit, 1, 200);
  auto rows = store_->ListIncidents(q);
  if (!rows.ok()) return rows.status();
  IncidentPage page;
  std::vector<int64_t> ids;
  for (store::IncidentRow& r : *rows) {
    ids.push_back(r.id);
    page.items.push_back(ViewOf(who, std::move(r)));
  }
  // Unread counts: internal notes count only for those who see them (by role, per page).
  std::vector<int64_t> with_internal, without;
  for (const IncidentView& v : page.items) {
    (SeesInternal(who, v.row) ? with_internal : without).push_back(v.row.id);
  }
  for (auto [list, internal] : {std::pair{&with_internal, true}, {&without, false}}) {
    auto counts = store_->CountUnread(*list, who.user_id, internal);
    if (!counts.ok()) return counts.status();
    for (IncidentView& v : page.items) {
      if (auto it = counts->find(v.row.id); it != counts->end()) v.unread = it->second;
    }
  }
  if (static_cast<int>(page.items.size()) == q.limit) page.next_before_id = page.items.back().row.id;
  return page;
}

absl::StatusOr<IncidentDetail> IncidentService::Get(const Principal& who, int64_t id) {
  auto view = View(who, id);
  if (!view.ok()) return view.status();
  IncidentDetail d;
  d.incident = std::move(*view);
  auto history = store_->ListHistory(id);
  if (!history.ok()) return history.status();
  d.history = std::move(*history);
  auto scripts = store_->ListScripts(id);
  if (!scripts.ok()) return scripts.status();
  // Scripts are the handlers' and the groups' work: a reporter does not see them.
  if (SeesInternal(who, d.incident.row)) d.scripts = std::move(*scripts);
  auto attachments = store_->ListAttachments(id);
  if (!attachments.ok()) return attachments.status();
  d.attachments = std::move(*attachments);
  return d;
}

absl::StatusOr<IncidentView> IncidentService::Update(const Principal& who, int64_t id,
                                                     const IncidentEdit& edit) {
  auto settings = Settings();
  if (!settings.ok()) return settings.status();
  auto row = Mutate(who, id, [&](Pending& p) -> absl::Status {
    store::IncidentRow& r = p.row();
    if (!Allowed(who, Action::kHandleIncident, {r.reporter_id, r.group})) {
      return absl::PermissionDeniedError("only a handler may edit an incident");
    }
    nlohmann::json changes = nlohmann::json::object();
    auto set = [&](const char* field, std::string* target, const std::optional<std::string>& v) {
      if (v && *v != *target) {
        changes[field] = {{"from", *target}, {"to", *v}};
        *target = *v;
      }
    };
    if (edit.title) {
      if (auto s = CheckText("title", *edit.title, 500, true); !s.ok()) return s;
    }
    const std::string old_priority = r.priority;
    set("title", &r.title, edit.title);
    set("priority", &r.priority, edit.priority);
    set("class", &r.klass, edit.klass);
    set("system", &r.system, edit.system);
    if (edit.subcategory_id) {
      std::optional<int64_t> sub;
      if (*edit.subcategory_id != 0) sub = *edit.subcategory_id;
      if (sub != r.subcategory_id) {
        changes["subcategory_id"] = {{"from", r.subcategory_id.value_or(0)}, {"to", sub.value_or(0)}};
        r.subcategory_id = sub;
      }
    }
    std::string sub_class;
    if (auto s = CheckFields(*settings, r.system, r.priority, r.klass, r.subcategory_id, &sub_class);
        !s.ok()) {
      return s;
    }
    if (r.klass.empty()) r.klass = sub_class;
    if (changes.empty()) return absl::OkStatus();
    if (r.priority != old_priority) {
      ComputeDue(*settings, &r);
      RefreshSlaStates(&r, p.now);
    }
    p.History("update", r.status, r.status, changes.dump());
    Notify(p, EventOf(r, DeskEventKind::kUpdated, who.name));
    return absl::OkStatus();
  });
  if (!row.ok()) return row.status();
  return ViewOf(who, std::move(row->incident));
}

}  // namespace vigil::desk
