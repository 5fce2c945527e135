// A fixture for the desk's HTTP tests with the real `vigil serve`: the first admin logged in
// with their password changed, users created by the admin with their own sessions, requests
// with the session cookie and the CSRF token, and the audit log's actions.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <regex>
#include <string>
#include <vector>

#include "serve_fixture.h"

namespace vigil::testing {

inline constexpr const char* kStart = "2026-11-20T10:00:00+08:00";
inline constexpr const char* kAdminPassword = "admin's own password";

using Json = nlohmann::json;

struct Session {
  std::string cookie;  // "vigil_session=..."
  std::string csrf;
  std::string set_cookie;  // the whole Set-Cookie header of the login
};

// Percent-encodes everything but unreserved characters (for names in paths).
inline std::string UrlEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

class DeskServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(dir_.path(), ServeConfig(1, "127.0.0.1:1"), kStart);
  }
  void Start(std::vector<std::string> extra = {}) {
    ASSERT_NO_FATAL_FAILURE(server_->Start(std::move(extra)));
    server_->http().set_read_timeout(60, 0);
  }
  httplib::Client& http() { return server_->http(); }

  // The one-time password the server printed for the first admin ("" when none).
  std::string FirstAdminPassword() {
    std::smatch m;
    const std::string log = server_->Log();
    static const std::regex re("one-time password: (\\S+) ");
    return std::regex_search(log, m, re) ? m[1].str() : "";
  }

  httplib::Result Login(const std::string& user, const std::string& password) {
    return http().Post("/api/v1/auth/login", Json{{"user", user}, {"password", password}}.dump(),
                       "application/json");
  }
  Session MustLogin(const std::string& user, const std::string& password) {
    auto r = Login(user, password);
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    Session s;
    if (!r || r->status != 200) return s;
    s.set_cookie = r->get_header_value("Set-Cookie");
    s.cookie = s.set_cookie.substr(0, s.set_cookie.find(';'));
    s.csrf = Json::parse(r->body).value("csrf_token", "");
    return s;
  }
  httplib::Headers With(const Session& s, bool csrf = true) {
    httplib::Headers h = {{"Cookie", s.cookie}};
    if (csrf) h.emplace("X-CSRF-Token", s.csrf);
    return h;
  }
  httplib::Result Post(const std::string& path, const Json& body, const httplib::Headers& h) {
    return http().Post(path, h, body.dump(), "application/json");
  }
  // The server with its first admin logged in and their password changed.
  Session AdminSession() {
    Start();
    const std::string once = FirstAdminPassword();
    EXPECT_FALSE(once.empty()) << server_->Log();
    Session s = MustLogin("admin", once);
    auto r = Post("/api/v1/auth/password",
                  {{"current_password", once}, {"new_password", kAdminPassword}}, With(s));
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "");
    return s;
  }
  // A user created by the admin, who then replaced the admin-set password with `password`.
  Session UserSession(const Session& admin, const std::string& name, const std::string& role,
                      const std::string& password, const std::vector<std::string>& groups = {}) {
    Json body = {{"name", name}, {"role", role}, {"password", "set by admin 123"}};
    if (!groups.empty()) body["groups"] = groups;
    auto r = Post("/api/v1/users", body, With(admin));
    EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "");
    Session s = MustLogin(name, "set by admin 123");
    r = Post("/api/v1/auth/password", {{"current_password", "set by admin 123"}, {"new_password", password}},
             With(s));
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "");
    return s;
  }
  // Actions in the audit log, oldest first, read with the admin's session.
  std::vector<std::string> AuditActions(const Session& admin) {
    auto r = http().Get("/api/v1/audit?limit=1000", With(admin, false));
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "");
    std::vector<std::string> out;
    if (!r) return out;
    const Json body = Json::parse(r->body);  // kept alive: the loop walks into it
    for (const auto& e : body["entries"]) out.insert(out.begin(), e["action"].get<std::string>());
    return out;
  }
  int Status(const httplib::Result& r) { return r ? r->status : -1; }

  ScratchDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

}  // namespace vigil::testing
