// The desk's incidents end to end with the real `vigil serve` (issue 5, docs/desk-api.md):
// the whole lifecycle with its history, data-fix scripts reviewed by another ops member, and
// the security list — another's incident is 404, a handler doing an admin's job 403,
// a member approving their own script 403, CSRF without token 403, a <script> description
// and SQL metacharacters returned literally, non-images 415, oversized 413, internal notes
// never reaching a reporter (list and stream), and a reply reaching the reporter's open stream.
#include <gtest/gtest.h>

#include <chrono>

#include "desk_fixture.h"
#include "raw_http.h"

namespace vigil::testing {
namespace {

const std::string kPng(
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00"
    "\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0d\x49\x44\x41\x54\x78\xda\x63\x64\x60"
    "\xf8\x5f\x0f\x00\x02\x87\x01\x80\xeb\x47\xba\x92\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60"
    "\x82",
    70);

class ServeIncidentTest : public DeskServeTest {
 protected:
  // Admin, a reporter (li), another reporter (wu), a handler (zhang), an ops member (ops1).
  void People() {
    admin_ = AdminSession();
    li_ = UserSession(admin_, "li", "reporter", "li's long password");
    wu_ = UserSession(admin_, "wu", "reporter", "wu's long password");
    zhang_ = UserSession(admin_, "zhang", "handler", "zhang's long password");
    ops_ = UserSession(admin_, "ops1", "member", "ops1's long password", {"ops"});
  }
  Json MustPost(const std::string& path, const Json& body, const Session& s, int want = 200) {
    auto r = Post(path, body, With(s));
    EXPECT_EQ(Status(r), want) << path << ": " << (r ? r->body : "no answer");
    return r ? Json::parse(r->body, nullptr, false) : Json();
  }
  Json MustGet(const std::string& path, const Session& s) {
    auto r = http().Get(path, With(s, false));
    EXPECT_EQ(Status(r), 200) << path << ": " << (r ? r->body : "no answer");
    return r ? Json::parse(r->body, nullptr, false) : Json();
  }
  int64_t Report(const Session& s, const std::string& title = "股票交易不了",
                 const std::string& description = "委托失败") {
    Json in = MustPost("/api/v1/incidents",
                       {{"title", title}, {"description", description}, {"system", "交易"},
                        {"customer", {{"customer_no", "C00012345"}, {"phone", "13812345678"},
                                      {"name", "张三"}, {"account", "6222020200001234"}}}},
                       s, 201);
    return in.value("id", int64_t{0});
  }
  std::string Path(int64_t id, const std::string& rest = "") {
    return "/api/v1/incidents/" + std::to_string(id) + rest;
  }
  // An SSE stream opened with a session's cookie, read once it answered its first line.
  std::unique_ptr<RawConnection> OpenStream(const Session& s) {
    auto c = std::make_unique<RawConnection>(server_->port());
    c->Send("GET /api/v1/incidents/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + s.cookie + "\r\n\r\n");
    EXPECT_TRUE(c->ReadUntil([](const std::string& d) { return d.find(": open") != std::string::npos; },
                             std::chrono::seconds(30)))
        << c->data();
    return c;
  }

  Session admin_, li_, wu_, zhang_, ops_;
};

TEST_F(ServeIncidentTest, TheWholeLifecycleWithAScriptIsInTheHistory) {
  People();
  const int64_t id = Report(li_);
  ASSERT_GT(id, 0);
  MustPost(Path(id, "/accept"), Json::object(), zhang_);
  MustPost(Path(id, "/transfer"), {{"group", "ops"}, {"note", "fix the holding"}}, zhang_);
  Json script = MustPost(Path(id, "/scripts"),
                         {{"description", "reset holding"}, {"content", "UPDATE h SET q = 0 WHERE id = 'x';"}},
                         zhang_, 201);
  const std::string sid = std::to_string(script.value("id", 0));
  EXPECT_EQ(script["status"], "pending");
  EXPECT_EQ(Status(Post(Path(id, "/scripts/" + sid + "/result"), {{"succeeded", true}}, With(ops_))), 409)
      << "no run before approval";
  MustPost(Path(id, "/scripts/" + sid + "/approve"), {{"comment", "ok"}}, ops_);
  MustPost(Path(id, "/scripts/" + sid + "/result"), {{"succeeded", true}, {"output", "1 row"}}, ops_);
  MustPost(Path(id, "/return"), {{"note", "done"}}, ops_);
  EXPECT_EQ(Status(Post(Path(id, "/resolve"), {{"cause", "c"}}, With(zhang_))), 400) << "solution missing";
  MustPost(Path(id, "/resolve"), {{"cause", "bad holding"}, {"solution", "reset"}}, zhang_);
  Json closed = MustPost(Path(id, "/confirm"), Json::object(), li_);
  EXPECT_EQ(closed["status"], "closed");
  EXPECT_EQ(Status(Post(Path(id, "/confirm"), Json::object(), With(li_))), 409) << "closed already";

  Json page = MustGet(Path(id), zhang_);
  std::vector<std::string> actions;
  for (const auto& h : page["history"]) actions.push_back(h["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"create", "accept", "transfer", "script_add",
                                               "script_approve", "script_result", "return",
                                               "resolve", "confirm"}));
  EXPECT_EQ(page["scripts"][0]["status"], "executed");
  EXPECT_EQ(page["incident"]["cause"], "bad holding");
  EXPECT_TRUE(MustGet(Path(id), li_)["scripts"].empty()) << "scripts are not the reporter's";
  const auto audit = AuditActions(admin_);
  EXPECT_NE(std::find(audit.begin(), audit.end(), "incident.accept"), audit.end());
  EXPECT_NE(std::find(audit.begin(), audit.end(), "incident.script_approve"), audit.end());
}

TEST_F(ServeIncidentTest, AnotherReportersIncidentIsNotFoundAndRolesAreEnforced) {
  People();
  const int64_t id = Report(li_);
  EXPECT_EQ(Status(http().Get(Path(id), With(wu_, false))), 404);
  EXPECT_EQ(Status(http().Get(Path(id, "/messages"), With(wu_, false))), 404);
  EXPECT_EQ(Status(Post(Path(id, "/messages"), {{"body", "mine now"}}, With(wu_))), 404);
  EXPECT_EQ(Status(Post(Path(id, "/reopen"), {{"reason", "x"}}, With(wu_))), 404);
  EXPECT_EQ(Status(http().Get(Path(id + 999), With(wu_, false))), 404) << "absent looks the same";
  EXPECT_TRUE(MustGet("/api/v1/incidents", wu_)["items"].empty());
  EXPECT_EQ(MustGet("/api/v1/incidents", zhang_)["items"].size(), 1u);
  EXPECT_EQ(Status(Post(Path(id, "/accept"), Json::object(), With(li_))), 403) << "a reporter does not accept";
  // The team to assign to is listed for handlers only; assigning to a reporter is refused.
  const Json team = MustGet("/api/v1/incidents/meta", zhang_)["handlers"];
  EXPECT_EQ(team, Json({"admin", "zhang"}));
  EXPECT_FALSE(MustGet("/api/v1/incidents/meta", li_).contains("handlers"));
  EXPECT_FALSE(MustGet("/api/v1/incidents/meta", ops_).contains("handlers"));
  EXPECT_EQ(Status(Post(Path(id, "/assign"), {{"assignee", "wu"}}, With(zhang_))), 400);
  // A handler doing an admin's job.
  EXPECT_EQ(Status(http().Put("/api/v1/incidents/settings", With(zhang_), Json{{"systems", {"x"}}}.dump(),
                              "application/json")), 403);
  EXPECT_EQ(Status(Post("/api/v1/incidents/subcategories", {{"class", "data"}, {"name", "x"}}, With(zhang_))), 403);
  EXPECT_EQ(Status(Post("/api/v1/incidents/import", {{"csv", "a"}, {"mapping", Json::object()}}, With(zhang_))), 403);
  EXPECT_EQ(MustPost("/api/v1/incidents/subcategories", {{"class", "data"}, {"name", "持仓错误"}}, admin_, 201)["class"],
            "data");
  // CSRF: the cookie alone does not make a change.
  EXPECT_EQ(Status(Post("/api/v1/incidents", {{"title", "t"}, {"description", "d"}, {"system", "交易"}},
                        With(li_, /*csrf=*/false))), 403);
  // A member approving their own script: the handler who wrote it, made an ops member.
  MustPost(Path(id, "/accept"), Json::object(), zhang_);
  MustPost(Path(id, "/transfer"), {{"group", "ops"}, {"note", "n"}}, zhang_);
  Json script = MustPost(Path(id, "/scripts"), {{"description", "d"}, {"content", "c"}}, zhang_, 201);
  const std::string approve = Path(id, "/scripts/" + std::to_string(script.value("id", 0)) + "/approve");
  EXPECT_EQ(Status(Post(approve, {{"comment", "ok"}}, With(zhang_))), 403) << "a handler is not ops";
  auto r = http().Patch("/api/v1/users/zhang", With(admin_), Json{{"role", "member"}, {"groups", {"ops"}}}.dump(),
                        "application/json");
  ASSERT_EQ(Status(r), 200) << r->body;
  r = Post(approve, {{"comment", "my own"}}, With(zhang_));
  EXPECT_EQ(Status(r), 403);
  EXPECT_NE(r->body.find("own script"), std::string::npos) << r->body;
}

TEST_F(ServeIncidentTest, TextIsReturnedLiterallyAndCustomersMaskedForMembers) {
  People();
  const std::string title = "x'); DROP TABLE incidents;-- \"%_";
  const std::string description = "<script>alert('xss')</script><img src=x onerror=alert(1)>";
  const int64_t id = Report(li_, title, description);
  auto r = http().Get(Path(id), With(li_, false));
  ASSERT_EQ(Status(r), 200);
  EXPECT_EQ(r->get_header_value("Content-Type").find("application/json"), 0u);
  Json in = Json::parse(r->body)["incident"];
  EXPECT_EQ(in["title"], title);
  EXPECT_EQ(in["description"], description);
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff") << "never sniffed as HTML";
  EXPECT_EQ(in["customer"]["phone"], "13812345678") << "the reporter's own, in clear";
  Json q = MustGet("/api/v1/incidents?q=" + UrlEncode("DROP TABLE"), zhang_);
  ASSERT_EQ(q["items"].size(), 1u);
  EXPECT_EQ(MustGet("/api/v1/incidents?q=" + UrlEncode("%"), zhang_)["items"].size(), 1u)
      << "only the title's own %";
  MustPost(Path(id, "/accept"), Json::object(), zhang_);
  MustPost(Path(id, "/transfer"), {{"group", "ops"}, {"note", "n"}}, zhang_);
  Json masked = MustGet(Path(id), ops_)["incident"]["customer"];
  EXPECT_EQ(masked["phone"], "138****5678");
  EXPECT_NE(masked["account"], "6222020200001234");
  EXPECT_EQ(Status(http().Get("/api/v1/incidents?status=bogus", With(zhang_, false))), 400);
}

TEST_F(ServeIncidentTest, AttachmentsAreImagesByContentWithinTheLimitAndOnlyForReaders) {
  People();
  const int64_t id = Report(li_);
  httplib::Headers h = With(li_);
  auto r = http().Post(Path(id, "/attachments?filename=shot.png"), h, "<html><script>x</script>", "image/png");
  EXPECT_EQ(Status(r), 415) << (r ? r->body : "");
  r = http().Post(Path(id, "/attachments?filename=big.png"), h, kPng + std::string(6 << 20, '\0'), "image/png");
  EXPECT_EQ(Status(r), 413);
  r = http().Post(Path(id, "/attachments?filename=shot.png"), h, kPng, "application/octet-stream");
  ASSERT_EQ(Status(r), 201) << (r ? r->body : "");
  Json a = Json::parse(r->body);
  EXPECT_EQ(a["content_type"], "image/png");
  const std::string url = "/api/v1/incidents/attachments/" + std::to_string(a.value("id", 0));
  auto got = http().Get(url, With(li_, false));
  ASSERT_EQ(Status(got), 200);
  EXPECT_EQ(got->body, kPng);
  EXPECT_EQ(got->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(got->get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(Status(http().Get(url, With(wu_, false))), 404) << "not a reader of its incident";
  MustPost(Path(id, "/messages"), {{"body", "see picture"}, {"attachment_ids", {a["id"]}}}, li_, 201);
  Json msgs = MustGet(Path(id, "/messages"), zhang_);
  EXPECT_EQ(msgs["messages"][0]["attachments"][0], a["id"]);
}

TEST_F(ServeIncidentTest, AReplyReachesTheReportersOpenStreamButInternalNotesNever) {
  People();
  const int64_t id = Report(li_);
  auto stream = OpenStream(li_);
  MustPost(Path(id, "/messages"), {{"body", "INTERNAL: db password is hunter2"}, {"internal", true}}, zhang_, 201);
  MustPost(Path(id, "/messages"), {{"body", "we are on it"}}, zhang_, 201);
  ASSERT_TRUE(stream->ReadUntil(
      [](const std::string& d) { return d.find("we are on it") != std::string::npos; }, std::chrono::seconds(30)))
      << stream->data();
  EXPECT_NE(stream->data().find("event: message"), std::string::npos);
  EXPECT_EQ(stream->data().find("hunter2"), std::string::npos) << "an internal note reached a reporter";
  // The reporter was notified of the reply (and the notification came down the stream too).
  ASSERT_TRUE(stream->ReadUntil(
      [](const std::string& d) { return d.find("event: notification") != std::string::npos; },
      std::chrono::seconds(30)));
  Json notes = MustGet("/api/v1/incidents/notifications?unread=1", li_);
  EXPECT_EQ(notes["unread"], 1);
  // The list the reporter reads: the public reply only.
  Json msgs = MustGet(Path(id, "/messages"), li_);
  ASSERT_EQ(msgs["messages"].size(), 1u);
  EXPECT_EQ(msgs["messages"][0]["body"], "we are on it");
  EXPECT_EQ(MustGet(Path(id, "/messages"), zhang_)["messages"].size(), 2u);
  const int64_t mid = msgs["messages"][0]["id"];
  EXPECT_EQ(MustPost(Path(id, "/read"), {{"message_id", mid}}, li_)["read_mark"], mid);
  EXPECT_EQ(MustPost(Path(id, "/read"), {{"message_id", 1}}, li_)["read_mark"], mid) << "never back";
  EXPECT_EQ(MustGet("/api/v1/incidents", li_)["items"][0]["unread"], 0);
}

TEST_F(ServeIncidentTest, AnOpenStreamFollowsItsCallersRightsAndEndsWithThem) {
  People();
  Session dev = UserSession(admin_, "dev1", "member", "dev1's long password", {"dev"});
  const int64_t id = Report(li_);
  MustPost(Path(id, "/accept"), Json::object(), zhang_);
  MustPost(Path(id, "/transfer"), {{"group", "ops"}, {"note", "holding"}}, zhang_);
  auto dev_stream = OpenStream(dev);
  auto zhang_stream = OpenStream(zhang_);
  MustPost(Path(id, "/messages"), {{"body", "before-the-move"}}, zhang_, 201);

  // One event, two views: the handler's stream has the customer in clear, the ops member's masked
  // (the server makes each view's text once, not per listener).
  {
    auto ops_stream = OpenStream(ops_);
    MustPost(Path(id, "/messages"), {{"body", "two-views"}}, zhang_, 201);
    for (auto* stream : {ops_stream.get(), zhang_stream.get()}) {
      ASSERT_TRUE(stream->ReadUntil(
          [](const std::string& d) {
            const size_t at = d.find("two-views");
            return at != std::string::npos && d.find("event: incident", at) != std::string::npos &&
                   d.find("\n\n", d.find("event: incident", at)) != std::string::npos;
          },
          std::chrono::seconds(30)))
          << stream->data();
    }
    const std::string ops_seen = ops_stream->data().substr(ops_stream->data().find("two-views"));
    const std::string zhang_seen = zhang_stream->data().substr(zhang_stream->data().find("two-views"));
    EXPECT_NE(ops_seen.find("138****5678"), std::string::npos) << ops_seen;
    EXPECT_EQ(ops_seen.find("13812345678"), std::string::npos) << "a member saw the phone in clear";
    EXPECT_NE(zhang_seen.find("13812345678"), std::string::npos) << zhang_seen;
  }

  // The admin moves dev1 to ops: the stream, opened as a dev member, now shows ops' incidents.
  auto moved = http().Patch("/api/v1/users/dev1", With(admin_), Json{{"groups", {"ops"}}}.dump(),
                            "application/json");
  ASSERT_EQ(Status(moved), 200) << (moved ? moved->body : "");
  MustPost(Path(id, "/messages"), {{"body", "after-the-move"}}, zhang_, 201);
  ASSERT_TRUE(dev_stream->ReadUntil(
      [](const std::string& d) { return d.find("after-the-move") != std::string::npos; },
      std::chrono::seconds(30)))
      << dev_stream->data();
  EXPECT_EQ(dev_stream->data().find("before-the-move"), std::string::npos)
      << "a dev member saw an ops incident";

  // Disabled: the open stream ends at once instead of carrying on with the old rights.
  auto disabled = http().Patch("/api/v1/users/zhang", With(admin_), Json{{"disabled", true}}.dump(),
                               "application/json");
  ASSERT_EQ(Status(disabled), 200) << (disabled ? disabled->body : "");
  EXPECT_TRUE(zhang_stream->ReadUntil(
      [](const std::string& d) { return d.ends_with("\r\n0\r\n\r\n"); }, std::chrono::seconds(30)))
      << "the response ends with its last chunk (a browser reports a cut one as an error)\n"
      << zhang_stream->data();
  EXPECT_FALSE(dev_stream->eof()) << "only the disabled user's stream ends";
}

TEST_F(ServeIncidentTest, AnAlertOpensOneIncidentTicketsImportAndTheSlaSweepsOnTheTestClock) {
  People();
  ASSERT_EQ(server_->PostRecords(Records("A001", "10:00", 20, 10))->status, 200);
  server_->AdvanceClock(90'000);  // 10:01:30: minute 10:00 evaluated, the alert fires
  Json alerts = server_->GetJson("/api/v1/alerts");
  ASSERT_FALSE(alerts["alerts"].empty()) << alerts.dump();
  const std::string fp = alerts["alerts"][0].value("fingerprint", "");
  EXPECT_EQ(Status(Post("/api/v1/incidents/from-alert", {{"fingerprint", fp}}, With(li_))), 403);
  for (const char* path : {"/api/v1/incidents/from-alert", "/api/v1/incidents/import"}) {
    auto list = Post(path, Json::array({fp}), With(admin_));
    EXPECT_EQ(Status(list), 400) << path;
    EXPECT_NE(list->body.find("must be a JSON object"), std::string::npos) << list->body;
  }
  Json opened = MustPost("/api/v1/incidents/from-alert", {{"fingerprint", fp}}, zhang_, 201);
  EXPECT_EQ(opened["channel"], "alert");
  EXPECT_EQ(opened["alert_fingerprint"], fp);
  EXPECT_EQ(MustPost("/api/v1/incidents/from-alert", {{"fingerprint", fp}}, zhang_)["id"], opened["id"])
      << "one open incident per alert";
  EXPECT_EQ(Status(Post("/api/v1/incidents/from-alert", {{"fingerprint", "nope"}}, With(zhang_))), 404);
  const int64_t alert_incident = opened["id"];
  Json msgs = MustGet(Path(alert_incident, "/messages"), zhang_);
  ASSERT_EQ(msgs["messages"].size(), 1u);
  EXPECT_EQ(msgs["messages"][0]["kind"], "system");

  // ITSM import: a dry run reports the row errors, the import takes only the good rows.
  const std::string csv =
      "编号,标题,创建时间,状态\n"
      "IT-1,\"旧问题, 带逗号\",2026-10-01 09:00,已关闭\n"
      "IT-2,,2026-10-02 09:00,新建\n";
  const Json mapping = {{"ref", "编号"}, {"title", "标题"}, {"created_at", "创建时间"}, {"status", "状态"}};
  Json dry = MustPost("/api/v1/incidents/import", {{"csv", csv}, {"mapping", mapping}, {"dry_run", true}}, admin_);
  EXPECT_EQ(dry["rows"], 2);
  EXPECT_EQ(dry["valid"], 1);
  EXPECT_EQ(dry["imported"], 0);
  ASSERT_EQ(dry["errors"].size(), 1u);
  EXPECT_EQ(dry["errors"][0]["row"], 2);
  Json done = MustPost("/api/v1/incidents/import", {{"csv", csv}, {"mapping", mapping}, {"dry_run", false}}, admin_);
  EXPECT_EQ(done["imported"], 1);
  Json found = MustGet("/api/v1/incidents?q=IT-1", zhang_);
  ASSERT_EQ(found["items"].size(), 1u);
  EXPECT_EQ(found["items"][0]["channel"], "itsm");
  EXPECT_EQ(found["items"][0]["title"], "旧问题, 带逗号");
  EXPECT_EQ(found["items"][0]["status"], "closed");
  // The same file again, with a row repeating IT-3 inside it: nothing is imported twice.
  const std::string again = csv + "IT-3,新问题,2026-10-03 09:00,新建\nIT-3,又一个,2026-10-03 10:00,新建\n";
  Json twice = MustPost("/api/v1/incidents/import", {{"csv", again}, {"mapping", mapping}, {"dry_run", false}}, admin_);
  EXPECT_EQ(twice["rows"], 4);
  EXPECT_EQ(twice["imported"], 1);  // IT-3's first row only
  ASSERT_EQ(twice["errors"].size(), 3u);
  EXPECT_EQ(twice["errors"][0]["row"], 1);
  EXPECT_EQ(twice["errors"][0]["field"], "ref");
  EXPECT_NE(twice["errors"][0]["message"].get<std::string>().find("imported already as INC-"), std::string::npos);
  EXPECT_EQ(twice["errors"][1]["row"], 2);  // the missing title, as before
  EXPECT_EQ(twice["errors"][2]["row"], 4);
  EXPECT_NE(twice["errors"][2]["message"].get<std::string>().find("also on row 3"), std::string::npos);
  EXPECT_EQ(MustGet("/api/v1/incidents?q=IT-1", zhang_)["items"].size(), 1u);

  // SLA: a P1 reported at 10:01:30 (a Friday, business hours) is due a first response at
  // 10:16:30; at 80% of it (10:13:30) the sweep after the clock moved flags it at risk.
  Json p1 = MustPost("/api/v1/incidents",
                     {{"title", "t"}, {"description", "d"}, {"system", "交易"}, {"priority", "P1"}}, li_, 201);
  EXPECT_EQ(p1["sla"]["first_response_due"].get<int64_t>() - p1["created_at"].get<int64_t>(), 15 * 60'000);
  server_->AdvanceClock(11 * 60'000);
  EXPECT_EQ(MustGet(Path(p1["id"].get<int64_t>()), zhang_)["incident"]["sla"]["first_response_state"], "ok");
  server_->AdvanceClock(60'000);
  Json risky = MustGet("/api/v1/incidents?sla=at_risk", zhang_);
  bool listed = false;
  for (const auto& i : risky["items"]) listed |= i["id"] == p1["id"];
  EXPECT_TRUE(listed) << risky.dump();
  Json page = MustGet(Path(p1["id"].get<int64_t>()), zhang_);
  EXPECT_EQ(page["incident"]["sla"]["first_response_state"], "at_risk");
  EXPECT_EQ(page["history"].back()["action"], "sla_at_risk");
}

TEST_F(ServeIncidentTest, TwoHundredOpenStreamsLeaveIngestionItsWorkers) {
  // Beyond the bound: 503. Within it, every stream holds its own worker, not ingestion's.
  admin_ = AdminSession();
  server_->Stop();
  ASSERT_NO_FATAL_FAILURE(server_->Start({"--max-desk-streams", "200"}));
  admin_ = MustLogin("admin", kAdminPassword);
  const int64_t id = Report(admin_);
  std::vector<std::unique_ptr<RawConnection>> streams;
  for (int i = 0; i < 200; ++i) {
    streams.push_back(OpenStream(admin_));
    ASSERT_NE(streams.back()->data().find(": open"), std::string::npos) << "stream " << i;
  }
  RawConnection extra(server_->port());
  extra.Send("GET /api/v1/incidents/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + admin_.cookie + "\r\n\r\n");
  ASSERT_TRUE(extra.ReadUntil([](const std::string& d) { return d.find("\r\n\r\n") != std::string::npos; },
                              std::chrono::seconds(30)));
  EXPECT_EQ(extra.data().rfind("HTTP/1.1 503", 0), 0u) << extra.data();
  // Ingestion and the API still answer with 200 streams open.
  auto r = server_->PostRecords(Records("A001", "10:00", 20, 0));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  MustPost(Path(id, "/messages"), {{"body", "to all two hundred"}}, admin_, 201);
  for (auto& s : streams) {
    EXPECT_TRUE(s->ReadUntil([](const std::string& d) { return d.find("to all two hundred") != std::string::npos; },
                             std::chrono::seconds(30)));
  }
}

}  // namespace
}  // namespace vigil::testing
