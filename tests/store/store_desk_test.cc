// The desk's store (desk_store.h) on both backends: users with groups, sessions, API tokens and
// the audit log; names and text with SQL metacharacters stored literally.
#include <algorithm>

#include "store/sql_store.h"
#include "store_fixture.h"

namespace vigil::store {
namespace {

constexpr TimeMs kT0 = 1'795'000'000'000;

class StoreDeskTest : public StoreTest {
 protected:
  DeskStore& desk() { return *dynamic_cast<DeskStore*>(&store()); }
  int64_t AddUser(const std::string& name, const std::string& role,
                  std::vector<std::string> groups = {}) {
    UserRow u;
    u.name = name;
    u.role = role;
    u.groups = std::move(groups);
    u.password_hash = "$argon2id$fake";
    u.created_at = u.updated_at = kT0;
    return Must(desk().CreateUser(u));
  }
};

TEST_P(StoreDeskTest, UsersKeepRoleGroupsAndFlagsAcrossAReopen) {
  EXPECT_EQ(Must(desk().CountUsers()), 0);
  const int64_t id = AddUser("li", "member", {"dev", "ops"});
  EXPECT_GT(id, 0);
  ASSERT_NO_FATAL_FAILURE(Reopen());
  auto u = Must(desk().GetUser("li"));
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->id, id);
  EXPECT_EQ(u->role, "member");
  EXPECT_EQ(u->groups, (std::vector<std::string>{"dev", "ops"}));
  EXPECT_EQ(u->password_hash, "$argon2id$fake");
  EXPECT_FALSE(u->disabled);

  u->groups = {"test"};
  u->role = "handler";
  u->disabled = true;
  u->must_change_password = true;
  u->updated_at = kT0 + 5;
  ASSERT_OK(desk().UpdateUser(*u));
  auto again = Must(desk().GetUserById(id));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->groups, std::vector<std::string>{"test"});
  EXPECT_EQ(again->role, "handler");
  EXPECT_TRUE(again->disabled);
  EXPECT_TRUE(again->must_change_password);
  EXPECT_EQ(again->updated_at, kT0 + 5);
  EXPECT_EQ(Must(desk().CountUsers()), 1);
  EXPECT_FALSE(Must(desk().GetUser("nobody")).has_value());
  UserRow ghost;
  ghost.id = 999;
  EXPECT_EQ(desk().UpdateUser(ghost).code(), absl::StatusCode::kNotFound);
}

TEST_P(StoreDeskTest, AnEmailAddressIsKeptChangedAndListed) {
  UserRow u;
  u.name = "li";
  u.role = "reporter";
  u.email = "li.si@branch1.bank.example";
  u.password_hash = "$argon2id$fake";
  u.created_at = u.updated_at = kT0;
  u.id = Must(desk().CreateUser(u));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(Must(desk().GetUser("li"))->email, "li.si@branch1.bank.example");
  u.email = "o'brien@bank.example";  // a quote is stored literally
  ASSERT_OK(desk().UpdateUser(u));
  EXPECT_EQ(Must(desk().GetUserById(u.id))->email, "o'brien@bank.example");
  AddUser("wu", "reporter", {});
  const auto all = Must(desk().ListUsers());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].email, "o'brien@bank.example");
  EXPECT_EQ(all[1].email, "") << "a user made without one has none";
}

TEST_P(StoreDeskTest, DuplicateNameIsRefusedAndNamesAreStoredLiterally) {
  const std::string evil = "x'); DROP TABLE users;--";
  AddUser(evil, "reporter");
  AddUser("张三 \"quoted\" $1 %", "handler");
  UserRow dup;
  dup.name = evil;
  dup.role = "admin";
  auto again = desk().CreateUser(dup);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  auto users = Must(desk().ListUsers());
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].name, evil);  // ordered by name: 'x' < '张'
  EXPECT_EQ(users[0].role, "reporter") << "the duplicate changed nothing";
  EXPECT_EQ(users[1].name, "张三 \"quoted\" $1 %");
  EXPECT_EQ(Must(db_->QueryValue("SELECT COUNT(*) FROM users")), "2");
}

TEST_P(StoreDeskTest, SessionsAreFoundByHashAndEndedOneOrAllOrWhenStale) {
  const int64_t a = AddUser("a", "handler");
  const int64_t b = AddUser("b", "reporter");
  ASSERT_OK(desk().CreateSession({"h1", a, "csrf1", kT0, kT0, "10.0.0.1"}));
  ASSERT_OK(desk().CreateSession({"h2", a, "csrf2", kT0, kT0, "10.0.0.2"}));
  ASSERT_OK(desk().CreateSession({"h3", a, "csrf3", kT0, kT0, "10.0.0.3"}));
  ASSERT_OK(desk().CreateSession({"hb", b, "csrfb", kT0 - 100, kT0 - 100, "::1"}));
  auto s = Must(desk().GetSession("h1"));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->user_id, a);
  EXPECT_EQ(s->csrf_token, "csrf1");
  EXPECT_EQ(s->client_ip, "10.0.0.1");
  ASSERT_OK(desk().TouchSession("h1", kT0 + 60'000));
  EXPECT_EQ(Must(desk().GetSession("h1"))->last_seen_at, kT0 + 60'000);

  EXPECT_TRUE(Must(desk().DeleteSession("h3")));
  EXPECT_FALSE(Must(desk().DeleteSession("h3")));
  // A password change: every other session of the user ends.
  EXPECT_EQ(Must(desk().DeleteUserSessions(a, "h1")), 1);
  EXPECT_TRUE(Must(desk().GetSession("h1")).has_value());
  EXPECT_FALSE(Must(desk().GetSession("h2")).has_value());
  EXPECT_TRUE(Must(desk().GetSession("hb")).has_value()) << "another user's session stays";
  // Logout everywhere.
  EXPECT_EQ(Must(desk().DeleteUserSessions(a, "")), 1);
  EXPECT_FALSE(Must(desk().GetSession("h1")).has_value());
  // Stale sessions: hb was last seen before kT0.
  EXPECT_EQ(Must(desk().PruneSessions(kT0 - 1'000, kT0)), 1);
  EXPECT_FALSE(Must(desk().GetSession("hb")).has_value());
}

TEST_P(StoreDeskTest, ApiTokensAreListedRevokedAndTouched) {
  const int64_t a = AddUser("ci-owner", "handler");
  const int64_t b = AddUser("other", "admin");
  ApiTokenRow t;
  t.token_hash = "th1";
  t.user_id = a;
  t.label = "ci 'deploy'";
  t.role = "reporter";
  t.created_by = "other";
  t.created_at = kT0;
  const int64_t id1 = Must(desk().CreateApiToken(t));
  t.token_hash = "th2";
  t.user_id = b;
  const int64_t id2 = Must(desk().CreateApiToken(t));
  EXPECT_GT(id2, id1);
  auto got = Must(desk().GetApiToken("th1"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->id, id1);
  EXPECT_EQ(got->user_name, "ci-owner");
  EXPECT_EQ(got->label, "ci 'deploy'");
  EXPECT_FALSE(got->last_used_at.has_value());
  EXPECT_FALSE(got->revoked_at.has_value());
  EXPECT_EQ(Must(desk().ListApiTokens(a)).size(), 1u);
  EXPECT_EQ(Must(desk().ListApiTokens(0)).size(), 2u);

  ASSERT_OK(desk().TouchApiToken(id1, kT0 + 10));
  ASSERT_OK(desk().RevokeApiToken(id1, kT0 + 20));
  ASSERT_OK(desk().RevokeApiToken(id1, kT0 + 30));  // again: keeps the first time
  auto revoked = Must(desk().GetApiTokenById(id1));
  ASSERT_TRUE(revoked.has_value());
  EXPECT_EQ(revoked->last_used_at, kT0 + 10);
  EXPECT_EQ(revoked->revoked_at, kT0 + 20);
  EXPECT_EQ(desk().RevokeApiToken(12345, kT0).code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(Must(desk().GetApiToken("nope")).has_value());
}

TEST_P(StoreDeskTest, AuditLogIsFilteredAndPagedNewestFirst) {
  for (int i = 0; i < 7; ++i) {
    AuditEntry e{0, kT0 + i, i % 2 ? "admin" : "li", i % 3 ? "auth.login" : "user.create",
                 "user:x'--", R"({"n":)" + std::to_string(i) + "}", "127.0.0.1"};
    EXPECT_GT(Must(desk().AppendAudit(e)), 0);
  }
  auto all = Must(desk().QueryAudit({}));
  ASSERT_EQ(all.size(), 7u);
  EXPECT_EQ(all[0].at, kT0 + 6);
  EXPECT_EQ(all[0].detail_json, R"({"n":6})");
  EXPECT_EQ(all[0].target, "user:x'--");
  AuditQuery q;
  q.actor = "admin";
  EXPECT_EQ(Must(desk().QueryAudit(q)).size(), 3u);
  q = {};
  q.action = "user.create";
  EXPECT_EQ(Must(desk().QueryAudit(q)).size(), 3u);  // 0, 3, 6
  q = {};
  q.from = kT0 + 2;
  q.to = kT0 + 4;
  EXPECT_EQ(Must(desk().QueryAudit(q)).size(), 2u);
  q = {};
  q.limit = 3;
  std::vector<int64_t> paged;
  for (;;) {
    auto page = Must(desk().QueryAudit(q));
    if (page.empty()) break;
    for (const auto& e : page) paged.push_back(e.id);
    q.before_id = page.back().id;
  }
  ASSERT_EQ(paged.size(), 7u);
  EXPECT_TRUE(std::is_sorted(paged.rbegin(), paged.rend()));
  EXPECT_EQ(Must(db_->QueryValue("SELECT COUNT(*) FROM audit_log")), "7");
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreDeskTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace vigil::store
