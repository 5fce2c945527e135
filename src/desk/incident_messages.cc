// The incident service's conversation (messages, read marks), attachments, data-fix scripts
// and the caller's in-app notifications.
#include <algorithm>

#include "common/strings.h"
#include "desk/image_check.h"
#include "desk/incidents.h"
#include "desk/incidents_internal.h"
#include "desk/policy.h"
#include "desk/roles.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace vigil::desk {

absl::StatusOr<MessagePage> IncidentService::Messages(const Principal& who, int64_t id,
                                                      int64_t after_id, int limit) {
  auto row = Readable(who, id);
  if (!row.ok()) return row.status();
  MessagePage page;
  auto messages = store_->ListMessages(id, after_id, std::clamp(limit, 1, 500),
                                       SeesInternal(who, *row));
  if (!messages.ok()) return messages.status();
  page.messages = std::move(*messages);
  auto mark = store_->GetReadMark(id, who.user_id);
  if (!mark.ok()) return mark.status();
  page.read_mark = *mark;
  return page;
}

absl::StatusOr<store::IncidentMessageRow> IncidentService::Post(
    const Principal& who, int64_t id, const std::string& body, bool internal,
    const std::vector<int64_t>& attachment_ids) {
  if (auto s = CheckText("body", body, 20000, attachment_ids.empty()); !s.ok()) return s;
  if (attachment_ids.size() > 20) return absl::InvalidArgumentError("attachment_ids: at most 20");
  auto row = Mutate(who, id, [&](Pending& p) -> absl::Status {
    store::IncidentRow& r = p.row();
    if (!Allowed(who, Action::kCommentIncident, {r.reporter_id, r.group})) {
      return absl::PermissionDeniedError("you may not comment on this incident");
    }
    if (internal && !SeesInternal(who, r)) {
      return absl::PermissionDeniedError("internal notes are for handlers and the group only");
    }
    const bool by_reporter = r.reporter_id != 0 && who.user_id == r.reporter_id;
    p.change.message = store::IncidentMessageRow{
        0, 0, who.name, std::string(RoleName(who.role)), internal ? "internal" : "public",
        body, attachment_ids, p.now};
    // The first response: the first public reply by anyone but the reporter.
    if (!internal && !by_reporter && !r.first_response_at) {
      RecordFirstResponse(&r, p.now);
      RefreshSlaStates(&r, p.now);
    }
    DeskEvent e = EventOf(r, DeskEventKind::kMessagePosted, who.name);
    e.internal = internal;
    e.excerpt = Excerpt(body);
    Notify(p, e);
    return absl::OkStatus();
  });
  if (!row.ok()) return row.status();
  return *row->message;
}

absl::StatusOr<int64_t> IncidentService::MarkRead(const Principal& who, int64_t id,
                                                  int64_t message_id) {
  auto row = Readable(who, id);
  if (!row.ok()) return row.status();
  if (message_id <= 0) return absl::InvalidArgumentError("message_id: a message id");
  return store_->SetReadMark(id, who.user_id, message_id);
}

absl::StatusOr<store::AttachmentRow> IncidentService::Attach(const Principal& who, int64_t id,
                                                             const std::string& filename,
                                                             std::string bytes) {
  if (auto s = CheckText("filename", filename, 255, true); !s.ok()) return s;
  auto image = CheckImage(bytes);
  if (!image.ok()) return image.status();
  auto row = Mutate(who, id, [&](Pending& p) -> absl::Status {
    store::IncidentRow& r = p.row();
    if (!Allowed(who, Action::kCommentIncident, {r.reporter_id, r.group})) {
      return absl::PermissionDeniedError("you may not add to this incident");
    }
    p.change.attachment = store::AttachmentRow{0, 0, std::nullopt, filename,
                                               std::string(image->content_type), who.name,
                                               static_cast<int64_t>(bytes.size()), image->width,
                                               image->height, bytes, p.now};
    p.History("attachment_add", r.status, r.status,
              nlohmann::json{{"filename", filename}, {"size", bytes.size()}}.dump());
    return absl::OkStatus();
  });
  if (!row.ok()) return row.status();
  store::AttachmentRow added = std::move(*row->attachment);
  added.bytes.clear();
  return added;
}

absl::StatusOr<store::AttachmentRow> IncidentService::Attachment(const Principal& who,
                                                                 int64_t attachment_id) {
  auto a = store_->GetAttachment(attachment_id);
  if (!a.ok()) return a.status();
  const absl::Status missing =
      absl::NotFoundError(AsAbsl(fmt::format("no attachment {}", attachment_id)));
  if (!a->has_value()) return missing;
  auto row = Readable(who, (*a)->incident_id);
  if (!row.ok()) return row.status().code() == absl::StatusCode::kNotFound ? missing : row.status();
  return std::move(**a);
}

}  // namespace vigil::desk
