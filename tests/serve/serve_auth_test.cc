// The desk's users and logins end to end with the real `vigil serve` (issue 5, part 1): the
// first admin's one-time password, login / logout / logout everywhere, cookie flags, CSRF,
// brute force slowed to 429 + Retry-After, a handler refused an admin's job, SQL
// metacharacters kept literally, API tokens until revoked, `vigil user` beside a running
// server, and an audit entry for each of those.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <regex>
#include <set>

#include "desk_fixture.h"

namespace vigil::testing {
namespace {

class ServeAuthTest : public DeskServeTest {};

TEST_F(ServeAuthTest, FirstAdminGetsAOneTimePasswordThatMustBeChanged) {
  Start();
  const std::string once = FirstAdminPassword();
  ASSERT_GE(once.size(), 10u) << server_->Log();
  Session s = MustLogin("admin", once);
  auto me = http().Get("/api/v1/auth/me", With(s, false));
  ASSERT_EQ(Status(me), 200);
  EXPECT_TRUE(Json::parse(me->body)["must_change_password"].get<bool>());
  EXPECT_EQ(Status(http().Get("/api/v1/users", With(s, false))), 403) << "nothing else until changed";
  EXPECT_EQ(Status(Post("/api/v1/auth/password", {{"current_password", once}, {"new_password", "short"}},
                        With(s))), 400);
  ASSERT_EQ(Status(Post("/api/v1/auth/password",
                        {{"current_password", once}, {"new_password", kAdminPassword}}, With(s))), 200);
  EXPECT_EQ(Status(http().Get("/api/v1/users", With(s, false))), 200);
  EXPECT_EQ(Status(Login("admin", once)), 401) << "the one-time password is gone";

  // A restart creates no second admin and prints no password.
  server_->Kill();
  Start();
  const std::string log = server_->Log();
  EXPECT_EQ(log.find("one-time password"), log.rfind("one-time password"));
  EXPECT_EQ(Status(http().Get("/api/v1/users", With(s, false))), 200) << "the session survives";
  auto actions = AuditActions(s);
  EXPECT_EQ(actions.front(), "user.create");
  EXPECT_NE(std::find(actions.begin(), actions.end(), "auth.password_change"), actions.end());
}

TEST_F(ServeAuthTest, CookieFlagsAndAPasswordChangeEndsTheOtherSessions) {
  Session admin = AdminSession();
  EXPECT_NE(admin.set_cookie.find("HttpOnly"), std::string::npos) << admin.set_cookie;
  EXPECT_NE(admin.set_cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(admin.set_cookie.find("Path=/"), std::string::npos);
  EXPECT_EQ(admin.set_cookie.find("Secure"), std::string::npos) << "plain HTTP: not Secure";
  ASSERT_EQ(Status(Post("/api/v1/users", {{"name", "li"}, {"role", "handler"}, {"password", "set by admin 123"}},
                        With(admin))), 201);
  Session phone = MustLogin("li", "set by admin 123");
  Session desk = MustLogin("li", "set by admin 123");
  ASSERT_EQ(Status(Post("/api/v1/auth/password",
                        {{"current_password", "set by admin 123"}, {"new_password", "li's password 1"}},
                        With(desk))), 200);
  EXPECT_EQ(Status(http().Get("/api/v1/auth/me", With(phone, false))), 401);
  EXPECT_EQ(Status(http().Get("/api/v1/auth/me", With(desk, false))), 200);
}

TEST_F(ServeAuthTest, LogoutEndsOneSessionAndLogoutAllEndsEvery) {
  Session admin = AdminSession();
  Session a = MustLogin("admin", kAdminPassword);
  Session b = MustLogin("admin", kAdminPassword);
  auto out = Post("/api/v1/auth/logout", Json::object(), With(a));
  ASSERT_EQ(Status(out), 200) << out->body;
  EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Status(http().Get("/api/v1/auth/me", With(a, false))), 401);
  EXPECT_EQ(Status(http().Get("/api/v1/auth/me", With(b, false))), 200);
  auto all = Post("/api/v1/auth/logout-all", Json::object(), With(b));
  ASSERT_EQ(Status(all), 200);
  EXPECT_EQ(Json::parse(all->body)["sessions_ended"], 2) << "b and the first admin session";
  EXPECT_EQ(Status(http().Get("/api/v1/auth/me", With(b, false))), 401);
  EXPECT_EQ(Status(http().Get("/api/v1/auth/me", With(admin, false))), 401);
  Session again = MustLogin("admin", kAdminPassword);
  auto actions = AuditActions(again);
  for (const char* a : {"auth.login", "auth.logout", "auth.logout_all"}) {
    EXPECT_NE(std::find(actions.begin(), actions.end(), a), actions.end()) << a;
  }
}

TEST_F(ServeAuthTest, SecureCookiesWhenConfigured) {
  Start({"--secure-cookies"});
  Session s = MustLogin("admin", FirstAdminPassword());
  EXPECT_NE(s.set_cookie.find("; Secure"), std::string::npos) << s.set_cookie;
}

TEST_F(ServeAuthTest, WrongPasswordsAreAnswered401ThenTheSixthAttempt429WithRetryAfter) {
  Session admin = AdminSession();
  for (int i = 0; i < 5; ++i) {
    auto r = Login("admin", "not the password");
    EXPECT_EQ(Status(r), 401) << i;
  }
  auto sixth = Login("admin", kAdminPassword);
  ASSERT_EQ(Status(sixth), 429) << "even the right password waits";
  const int retry = std::stoi(sixth->get_header_value("Retry-After"));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 900);
  server_->AdvanceClock(retry * 1000LL);
  EXPECT_EQ(Status(Login("admin", kAdminPassword)), 200);
  auto actions = AuditActions(admin);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "auth.login_failed"), 5);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "auth.login_throttled"), 1);
}

TEST_F(ServeAuthTest, UnsafeCookieRequestsNeedTheCsrfToken) {
  Session admin = AdminSession();
  const Json body = {{"name", "wang"}, {"role", "reporter"}, {"password", "wang's password"}};
  EXPECT_EQ(Status(Post("/api/v1/users", body, With(admin, false))), 403);
  httplib::Headers wrong = {{"Cookie", admin.cookie}, {"X-CSRF-Token", "guessed"}};
  EXPECT_EQ(Status(Post("/api/v1/users", body, wrong)), 403);
  EXPECT_EQ(Status(Post("/api/v1/auth/logout", Json::object(), With(admin, false))), 403);
  EXPECT_EQ(Status(Post("/api/v1/users", body, With(admin))), 201);
  // GET /auth/me gives the token back (a reloaded page has lost it).
  auto me = http().Get("/api/v1/auth/me", With(admin, false));
  EXPECT_EQ(Json::parse(me->body)["csrf_token"], admin.csrf);
}

TEST_F(ServeAuthTest, AHandlerCannotDoAnAdminsJob) {
  Session admin = AdminSession();
  Session hu = UserSession(admin, "hu", "handler", "hu's password 1");
  EXPECT_EQ(Status(http().Get("/api/v1/users", With(hu, false))), 403);
  EXPECT_EQ(Status(Post("/api/v1/users", {{"name", "x"}, {"role", "admin"}}, With(hu))), 403);
  auto promote = http().Patch("/api/v1/users/hu", With(hu), Json{{"role", "admin"}}.dump(), "application/json");
  EXPECT_EQ(Status(promote), 403);
  EXPECT_EQ(Status(http().Get("/api/v1/audit", With(hu, false))), 403);
  EXPECT_EQ(Status(Post("/api/v1/tokens", {{"label", "x"}, {"role", "admin"}}, With(hu))), 403);
  EXPECT_EQ(Status(Post("/api/v1/tokens", {{"label", "x"}, {"user", "admin"}}, With(hu))), 403);
  auto me = http().Get("/api/v1/auth/me", With(hu, false));
  EXPECT_EQ(Json::parse(me->body)["role"], "handler") << "still a handler";
  // The admin can; disabling ends the handler's sessions.
  auto disable = http().Patch("/api/v1/users/hu", With(admin), Json{{"disabled", true}}.dump(), "application/json");
  ASSERT_EQ(Status(disable), 200) << disable->body;
  EXPECT_EQ(Status(http().Get("/api/v1/auth/me", With(hu, false))), 401);
  EXPECT_EQ(Status(Login("hu", "hu's password 1")), 401);
}

TEST_F(ServeAuthTest, SqlMetacharactersInANameAreStoredAndListedLiterally) {
  Session admin = AdminSession();
  const std::string evil = "x'); DROP TABLE users;--";
  auto created = Post("/api/v1/users", {{"name", evil}, {"role", "member"}, {"groups", {"ops", "dev"}},
                                        {"password", "evil's password"}}, With(admin));
  ASSERT_EQ(Status(created), 201) << created->body;
  auto list = http().Get("/api/v1/users", With(admin, false));
  ASSERT_EQ(Status(list), 200);
  std::set<std::string> names;
  const Json users = Json::parse(list->body);
  for (const auto& u : users["users"]) names.insert(u["name"].get<std::string>());
  EXPECT_EQ(names, (std::set<std::string>{"admin", evil}));
  auto changed = http().Patch("/api/v1/users/" + UrlEncode(evil), With(admin),
                              Json{{"groups", {"test"}}}.dump(), "application/json");
  ASSERT_EQ(Status(changed), 200) << changed->body;
  EXPECT_EQ(Json::parse(changed->body)["groups"], Json::array({"test"}));
  Session s = MustLogin(evil, "evil's password");
  EXPECT_FALSE(s.cookie.empty());
}

TEST_F(ServeAuthTest, AnApiTokenWorksAsBearerUntilRevoked) {
  Session admin = AdminSession();
  auto created = Post("/api/v1/tokens", {{"label", "nightly sync"}, {"role", "admin"}}, With(admin));
  ASSERT_EQ(Status(created), 201) << created->body;
  const Json t = Json::parse(created->body);
  const std::string token = t["token"];
  EXPECT_TRUE(token.starts_with("vgt_"));
  httplib::Headers bearer = {{"Authorization", "Bearer " + token}};
  auto me = http().Get("/api/v1/auth/me", bearer);
  ASSERT_EQ(Status(me), 200);
  EXPECT_EQ(Json::parse(me->body)["via"], "api_token");
  // No CSRF token with a bearer token.
  EXPECT_EQ(Status(Post("/api/v1/users", {{"name", "bot-made"}, {"role", "reporter"}}, bearer)), 201);
  auto listed = http().Get("/api/v1/tokens", With(admin, false));
  const Json row = Json::parse(listed->body)["tokens"][0];
  EXPECT_FALSE(row.contains("token")) << "shown once only";
  EXPECT_FALSE(row["last_used_at"].is_null());
  auto revoked = http().Delete("/api/v1/tokens/" + std::to_string(t["id"].get<int64_t>()), With(admin));
  ASSERT_EQ(Status(revoked), 200) << revoked->body;
  EXPECT_EQ(Status(http().Get("/api/v1/auth/me", bearer)), 401);
  auto actions = AuditActions(admin);
  for (const char* a : {"token.create", "token.revoke", "user.create"}) {
    EXPECT_NE(std::find(actions.begin(), actions.end(), a), actions.end()) << a;
  }
}

TEST_F(ServeAuthTest, UserCommandWorksBesideTheRunningServer) {
  Session admin = AdminSession();
  const std::string data = dir_.path() + "/data";
  const std::string add = fmt::format("echo 'zhao password 1' | {} user add zhao --role member "
                                      "--group ops --group test --data {} 2>&1", VIGIL_BINARY, data);
  std::FILE* p = ::popen(add.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[512];
  std::string out;
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  ASSERT_EQ(::pclose(p), 0) << out;
  Session z = MustLogin("zhao", "zhao password 1");
  auto me = http().Get("/api/v1/auth/me", With(z, false));
  ASSERT_EQ(Status(me), 200);
  EXPECT_EQ(Json::parse(me->body)["groups"], Json::array({"ops", "test"}));
  auto run = [&](const std::string& args) {
    std::FILE* cmd = ::popen(fmt::format("{} user {} --data {} 2>&1", VIGIL_BINARY, args, data).c_str(), "r");
    std::string text;
    while (cmd && std::fgets(buf, sizeof buf, cmd)) text += buf;
    const int status = cmd ? ::pclose(cmd) : -1;
    return std::make_pair(status, text);
  };
  auto [bad_status, bad_out] = run("set zhao --email 'zhao at bank'");
  EXPECT_NE(bad_status, 0);
  EXPECT_THAT(bad_out, ::testing::HasSubstr("email: expected an e-mail address"));
  auto [set_status, set_out] = run("set zhao --email zhao@bank.example");
  ASSERT_EQ(set_status, 0) << set_out;
  EXPECT_EQ(Json::parse(http().Get("/api/v1/auth/me", With(z, false))->body)["email"], "zhao@bank.example");
  auto [list_status, list_out] = run("list");
  EXPECT_THAT(list_out, ::testing::ContainsRegex("zhao +member +ops,test +zhao@bank.example +active"));
  auto [off_status, off_out] = run("disable zhao");
  ASSERT_EQ(off_status, 0) << off_out;
  EXPECT_EQ(Status(http().Get("/api/v1/auth/me", With(z, false))), 401);
  auto audit = http().Get("/api/v1/audit?actor=cli:root", With(admin, false));
  EXPECT_EQ(Json::parse(audit->body)["entries"].size(), 3u) << audit->body;
}

}  // namespace
}  // namespace vigil::testing
