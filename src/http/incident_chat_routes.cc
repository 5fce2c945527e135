// The incidents API around the conversation: messages and read marks, attachments (images
// only, checked by content, served with nosniff to readers only), data-fix scripts, the
// caller's notifications and the live stream (docs/desk-api.md).
#include "desk/image_check.h"
#include "desk/incidents.h"
#include "fmt/format.h"
#include "http/auth.h"
#include "http/desk_stream.h"
#include "http/incident_json.h"
#include "http/incident_routes.h"

namespace vigil::http {
namespace {

void Messages(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  if (!who) return;
  int64_t after = 0, limit = 200;
  if (auto s = IntParam(req, "after_id", 0, INT64_MAX, 0, &after); !s.ok()) return SendStatus(res, s);
  if (auto s = IntParam(req, "limit", 1, 500, 200, &limit); !s.ok()) return SendStatus(res, s);
  auto page = Incidents(c).Messages(*who, PathId(req), after, static_cast<int>(limit));
  if (!page.ok()) return SendIncidentStatus(res, page.status());
  Json list = Json::array();
  for (const auto& m : page->messages) list.push_back(MessageJson(m));
  SendJson(res, {{"messages", list}, {"read_mark", page->read_mark}});
}

void Post(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  Json body;
  if (!who || !Body(req, res, &body, /*empty_is_object=*/true)) return;
  std::optional<std::string> text;
  std::optional<bool> internal;
  if (auto s = OptString(body, "body", &text); !s.ok()) return SendStatus(res, s);
  if (auto s = OptBool(body, "internal", &internal); !s.ok()) return SendStatus(res, s);
  std::vector<int64_t> attachments;
  if (body.contains("attachment_ids") && !body["attachment_ids"].is_null()) {
    const Json& ids = body["attachment_ids"];
    if (!ids.is_array()) return SendError(res, 400, "attachment_ids: must be a list of ids");
    for (const Json& id : ids) {
      if (!id.is_number_integer()) return SendError(res, 400, "attachment_ids: must be a list of ids");
      attachments.push_back(id.get<int64_t>());
    }
  }
  auto m = Incidents(c).Post(*who, PathId(req), text.value_or(""), internal.value_or(false), attachments);
  if (!m.ok()) return SendIncidentStatus(res, m.status());
  SendJson(res, MessageJson(*m), 201);
}

void Read(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  Json body;
  if (!who || !Body(req, res, &body, /*empty_is_object=*/true)) return;
  std::optional<int64_t> message;
  if (auto s = OptInt(body, "message_id", &message); !s.ok()) return SendStatus(res, s);
  auto mark = Incidents(c).MarkRead(*who, PathId(req), message.value_or(0));
  if (!mark.ok()) return SendIncidentStatus(res, mark.status());
  SendJson(res, {{"read_mark", *mark}});
}

void Upload(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  if (!who) return;
  const std::string filename = req.get_param_value("filename");
  auto a = Incidents(c).Attach(*who, PathId(req), filename, req.body);
  if (!a.ok()) {
    // The image check speaks in size (413) and type (415); the rest as usual.
    const absl::Status& s = a.status();
    if (s.code() == absl::StatusCode::kOutOfRange) {
      return SendError(res, 413, fmt::format("an attachment is at most {} bytes", desk::kMaxImageBytes));
    }
    if (s.code() == absl::StatusCode::kInvalidArgument && s.message().rfind("filename", 0) != 0) {
      return SendError(res, 415, std::string(s.message()));
    }
    return SendIncidentStatus(res, s);
  }
  SendJson(res, AttachmentJson(*a), 201);
}

void Download(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  if (!who) return;
  auto a = Incidents(c).Attachment(*who, PathId(req));
  if (!a.ok()) return SendIncidentStatus(res, a.status());
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Disposition", "inline");
  res.set_header("Cache-Control", "private, max-age=3600");
  res.set_header("Content-Security-Policy", "default-src 'none'; sandbox");
  res.set_content(std::move(a->bytes), a->content_type);
}

void AddScript(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  Json body;
  if (!who || !Body(req, res, &body, /*empty_is_object=*/true)) return;
  std::optional<std::string> description, content;
  if (auto s = OptString(body, "description", &description); !s.ok()) return SendStatus(res, s);
  if (auto s = OptString(body, "content", &content); !s.ok()) return SendStatus(res, s);
  auto x = Incidents(c).AddScript(*who, PathId(req), description.value_or(""), content.value_or(""));
  if (!x.ok()) return SendIncidentStatus(res, x.status());
  AuditIncident(c, req, *who, "incident.script_add", IncidentRefOf(PathId(req)), {{"script_id", x->id}});
  SendJson(res, ScriptJson(*x), 201);
}

void ScriptStep(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  Json body;
  if (!who || !Body(req, res, &body, /*empty_is_object=*/true)) return;
  const int64_t id = PathId(req), sid = PathId(req, 2);
  const std::string step = req.matches[3];
  absl::StatusOr<store::IncidentScriptRow> x;
  if (step == "result") {
    std::optional<bool> ok;
    std::optional<std::string> output;
    if (auto s = OptBool(body, "succeeded", &ok); !s.ok()) return SendStatus(res, s);
    if (!ok) return SendError(res, 400, "succeeded: required (true or false)");
    if (auto s = OptString(body, "output", &output); !s.ok()) return SendStatus(res, s);
    x = Incidents(c).RecordResult(*who, id, sid, *ok, output.value_or(""));
  } else {
    std::optional<std::string> comment;
    if (auto s = OptString(body, "comment", &comment); !s.ok()) return SendStatus(res, s);
    x = Incidents(c).Review(*who, id, sid, step == "approve", comment.value_or(""));
  }
  if (!x.ok()) return SendIncidentStatus(res, x.status());
  AuditIncident(c, req, *who, "incident.script_" + step, IncidentRefOf(id),
                {{"script_id", sid}, {"status", x->status}});
  SendJson(res, ScriptJson(*x));
}

void Notifications(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  if (!who) return;
  int64_t limit = 50;
  if (auto s = IntParam(req, "limit", 1, 200, 50, &limit); !s.ok()) return SendStatus(res, s);
  const bool unread_only = req.get_param_value("unread") == "1" || req.get_param_value("unread") == "true";
  auto rows = Incidents(c).Notifications(*who, unread_only, static_cast<int>(limit));
  if (!rows.ok()) return SendIncidentStatus(res, rows.status());
  auto unread = Incidents(c).UnreadNotifications(*who);
  if (!unread.ok()) return SendIncidentStatus(res, unread.status());
  Json items = Json::array();
  for (const auto& n : *rows) items.push_back(NotificationJson(n));
  SendJson(res, {{"items", items}, {"unread", *unread}});
}

void ReadNotifications(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  Json body;
  if (!who || !Body(req, res, &body, /*empty_is_object=*/true)) return;
  std::optional<bool> all;
  if (auto s = OptBool(body, "all", &all); !s.ok()) return SendStatus(res, s);
  std::vector<int64_t> ids;
  if (!all.value_or(false)) {
    if (!body.contains("ids") || !body["ids"].is_array() || body["ids"].empty()) {
      return SendError(res, 400, "ids: a non-empty list of notification ids, or all: true");
    }
    for (const Json& id : body["ids"]) {
      if (!id.is_number_integer()) return SendError(res, 400, "ids: must be a list of ids");
      ids.push_back(id.get<int64_t>());
    }
  }
  auto unread = Incidents(c).ReadNotifications(*who, ids);
  if (!unread.ok()) return SendIncidentStatus(res, unread.status());
  SendJson(res, {{"unread", *unread}});
}

void Stream(const RouteContext& c, const httplib::Request& req, httplib::Response& res) {
  auto who = Authenticate(c, req, res);
  if (!who) return;
  DeskStreamHub* hub = c.desk_streams;
  std::shared_ptr<DeskStreamHub::Listener> listener = hub->Open(*who, Reauthenticator(c, req));
  if (!listener) {
    res.set_header("Retry-After", "10");
    return SendError(res, 503, fmt::format("{} incident streams are open, the most this server takes",
                                           c.options.max_desk_streams));
  }
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream",
      [hub, listener](size_t, httplib::DataSink& sink) {
        std::string text;
        if (!hub->Next(*listener, &text)) {
          sink.done();  // a closed listener ends the response properly (the last chunk), not cut
          return true;
        }
        return sink.write(text.data(), text.size());
      },
      [hub, listener](bool) { hub->Close(listener); });
}

}  // namespace

void AddIncidentChatRoutes(httplib::Server& s, const RouteContext& c) {
  s.Get(R"(/api/v1/incidents/(\d+)/messages)", [c](const auto& req, auto& res) { Messages(c, req, res); });
  s.Post(R"(/api/v1/incidents/(\d+)/messages)", [c](const auto& req, auto& res) { Post(c, req, res); });
  s.Post(R"(/api/v1/incidents/(\d+)/read)", [c](const auto& req, auto& res) { Read(c, req, res); });
  s.Post(R"(/api/v1/incidents/(\d+)/attachments)", [c](const auto& req, auto& res) { Upload(c, req, res); });
  s.Get(R"(/api/v1/incidents/attachments/(\d+))", [c](const auto& req, auto& res) { Download(c, req, res); });
  s.Post(R"(/api/v1/incidents/(\d+)/scripts)", [c](const auto& req, auto& res) { AddScript(c, req, res); });
  s.Post(R"(/api/v1/incidents/(\d+)/scripts/(\d+)/(approve|reject|result))",
         [c](const auto& req, auto& res) { ScriptStep(c, req, res); });
  s.Get("/api/v1/incidents/notifications", [c](const auto& req, auto& res) { Notifications(c, req, res); });
  s.Post("/api/v1/incidents/notifications/read",
         [c](const auto& req, auto& res) { ReadNotifications(c, req, res); });
  if (c.desk_streams) {
    s.Get("/api/v1/incidents/stream", [c](const auto& req, auto& res) { Stream(c, req, res); });
  }
}

}  // namespace vigil::http
