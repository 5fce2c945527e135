// The desk's services over a real SQLite store in a fresh directory, with a hand-driven clock:
// users and logins, session lifetimes, API tokens and their roles, the first admin.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "desk/desk.h"
#include "store/store.h"

namespace vigil::desk {
namespace {

constexpr TimeMs kT0 = 1'795'000'000'000;

class DeskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = (std::filesystem::temp_directory_path() / "vigil-desk-XXXXXX").string();
    ASSERT_NE(mkdtemp(dir.data()), nullptr);
    dir_ = dir;
    auto s = store::Store::Open("sqlite://" + dir + "/vigil.db");
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
    DeskOptions o;
    o.hash_cost = {1, 8u << 20};  // fast hashes for tests; the cost is tested in tokens_test
    desk_ = std::make_unique<Desk>(dynamic_cast<store::DeskStore*>(store_.get()), &clock_, o);
  }
  void TearDown() override {
    desk_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  store::UserRow Add(const std::string& name, const std::string& role,
                     std::vector<std::string> groups = {}) {
    auto u = desk_->users().Create({name, role, groups, "a good password", false});
    EXPECT_TRUE(u.ok()) << u.status();
    return u.value_or(store::UserRow{});
  }

  std::filesystem::path dir_;
  ManualClock clock_{kT0};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Desk> desk_;
};

TEST(CheckEmailTest, AcceptsPlainAddressesAndRefusesWhatCouldBreakAMailHeader) {
  for (const char* ok : {"", "li@bank.example", "li.si+desk@branch-1.bank.example",
                         "o'brien@bank.example", "a@b"}) {
    EXPECT_TRUE(CheckEmail(ok).ok()) << ok;
  }
  const std::string long_local = std::string(65, 'a') + "@bank.example";
  const std::string long_total = "a@" + std::string(250, 'b') + ".cn";
  for (const std::string& bad :
       {std::string("li"), std::string("@bank.example"), std::string("li@"), std::string("li@@bank.example"),
        std::string("li si@bank.example"), std::string("li@bank.example\r\nBcc: x@evil.example"),
        std::string("<li@bank.example>"), std::string("li@bank.example, wu@bank.example"),
        std::string(".li@bank.example"), std::string("li.@bank.example"), std::string("l..i@bank.example"),
        std::string("li@-bank.example"), std::string("li@bank..example"), std::string("li@bank_x.example"),
        std::string("李四@bank.example"), long_local, long_total}) {
    absl::Status s = CheckEmail(bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("email"), std::string_view::npos) << s;
  }
  EXPECT_TRUE(CheckEmail(std::string(64, 'a') + "@bank.example").ok()) << "64 is the local limit";
}

TEST_F(DeskTest, AnAddressIsStoredCheckedChangedAndRemoved) {
  auto& users = desk_->users();
  NewUser li{"li", "reporter", {}, "a good password", false, "li@bank.example"};
  ASSERT_TRUE(users.Create(li).ok());
  EXPECT_EQ(users.Get("li")->email, "li@bank.example");
  NewUser bad{"wu", "reporter", {}, "a good password", false, "wu at bank"};
  EXPECT_EQ(users.Create(bad).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(users.Get("wu").status().code(), absl::StatusCode::kNotFound) << "nothing half-made";

  ASSERT_TRUE(users.SetEmail("li", "li.si@branch1.bank.example").ok());
  EXPECT_EQ(users.Get("li")->email, "li.si@branch1.bank.example");
  EXPECT_EQ(users.SetEmail("li", "li@bank.example\nBcc: all@bank.example").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(users.Get("li")->email, "li.si@branch1.bank.example") << "a refused change keeps the old";
  UserChange role_only;
  role_only.role = "handler";
  ASSERT_TRUE(users.Change("li", role_only).ok());
  EXPECT_EQ(users.Get("li")->email, "li.si@branch1.bank.example") << "other edits keep it";
  ASSERT_TRUE(users.SetEmail("li", "").ok());
  EXPECT_EQ(users.Get("li")->email, "");
  EXPECT_EQ(users.SetEmail("nobody", "x@bank.example").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(DeskTest, CreateChecksNameRoleGroupsAndPassword) {
  auto& users = desk_->users();
  EXPECT_EQ(users.Create({"li", "boss", {}, "a good password"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(users.Create({"li", "member", {"sales"}, "a good password"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(users.Create({"li", "handler", {"dev"}, "a good password"}).status().code(),
            absl::StatusCode::kInvalidArgument) << "only members have groups";
  EXPECT_EQ(users.Create({"li", "handler", {}, "short"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(users.Create({"", "handler", {}, "a good password"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(users.Create({"a\nb", "handler", {}, "a good password"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  store::UserRow m = Add("li", "member", {"ops", "dev", "ops"});
  EXPECT_EQ(m.groups, (std::vector<std::string>{"dev", "ops"}));
  EXPECT_EQ(users.Create({"li", "handler", {}, "a good password"}).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(DeskTest, PasswordLoginRehashesAndDisabledUsersCannotLogIn) {
  Add("li", "handler");
  EXPECT_TRUE(desk_->users().CheckPassword("li", "a good password").ok());
  EXPECT_EQ(desk_->users().CheckPassword("li", "a bad password").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(desk_->users().CheckPassword("nobody", "a good password").status().code(),
            absl::StatusCode::kUnauthenticated);
  // A hash made with other limits is replaced at the next good login.
  Desk stronger(&desk_->store(), &clock_, DeskOptions{{}, {}, {2, 9u << 20}});
  auto before = desk_->store().GetUser("li").value()->password_hash;
  ASSERT_TRUE(stronger.users().CheckPassword("li", "a good password").ok());
  auto after = desk_->store().GetUser("li").value()->password_hash;
  EXPECT_NE(before, after);
  EXPECT_FALSE(NeedsRehash(after, {2, 9u << 20}));

  ASSERT_TRUE(desk_->users().Change("li", {std::nullopt, std::nullopt, true}).ok());
  EXPECT_EQ(desk_->users().CheckPassword("li", "a good password").status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(DeskTest, SessionsEndWhenIdleAfterSevenDaysAndWhenTheUserIsDisabled) {
  store::UserRow u = Add("li", "handler");
  auto s = desk_->sessions().Start(u.id, "10.0.0.1");
  ASSERT_TRUE(s.ok());
  auto p = desk_->sessions().Resume(s->token);
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ((*p)->name, "li");
  EXPECT_EQ((*p)->csrf_token, s->csrf_token);
  EXPECT_FALSE(desk_->sessions().Resume("forged").value().has_value());
  // Used every 11 hours: alive until the absolute limit of 7 days.
  for (int i = 0; i < 15; ++i) {
    clock_.Advance(11 * 3600'000LL);
    ASSERT_TRUE(desk_->sessions().Resume(s->token).value().has_value()) << i;
  }
  clock_.Advance(3 * 3600'000LL);  // 168 h since login
  EXPECT_FALSE(desk_->sessions().Resume(s->token).value().has_value());

  auto idle = desk_->sessions().Start(u.id, "10.0.0.1").value();
  clock_.Advance(12 * 3600'000LL);
  EXPECT_FALSE(desk_->sessions().Resume(idle.token).value().has_value()) << "12 h idle";

  auto live = desk_->sessions().Start(u.id, "10.0.0.1").value();
  ASSERT_TRUE(desk_->users().Change("li", {std::nullopt, std::nullopt, true}).ok());
  EXPECT_FALSE(desk_->sessions().Resume(live.token).value().has_value());
}

TEST_F(DeskTest, ApiTokensCarryNoMoreThanTheirCreatorsRole) {
  Principal admin = PrincipalOf(Add("root", "admin"));
  Principal handler = PrincipalOf(Add("hu", "handler"));
  Add("rep", "reporter");
  auto& tokens = desk_->tokens();
  EXPECT_EQ(tokens.Create(handler, {"", "mine", "admin"}).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(tokens.Create(handler, {"rep", "for rep", ""}).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(tokens.Create(admin, {"rep", "too high", "handler"}).status().code(),
            absl::StatusCode::kPermissionDenied) << "not above the owner's role";
  EXPECT_EQ(tokens.Create(handler, {"", "", ""}).status().code(), absl::StatusCode::kInvalidArgument);
  auto mine = tokens.Create(handler, {"", "ci", "reporter"});
  ASSERT_TRUE(mine.ok()) << mine.status();
  EXPECT_TRUE(mine->token.starts_with("vgt_"));
  EXPECT_NE(mine->row.token_hash, mine->token);
  auto p = tokens.Resolve(mine->token).value();
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->name, "hu");
  EXPECT_EQ(p->role, Role::kReporter);
  EXPECT_EQ(p->via, Principal::Via::kApiToken);
  EXPECT_EQ(desk_->store().GetApiTokenById(mine->row.id).value()->last_used_at, kT0);

  auto for_rep = tokens.Create(admin, {"rep", "rep's phone", ""});
  ASSERT_TRUE(for_rep.ok());
  EXPECT_EQ(for_rep->row.role, "reporter");
  EXPECT_EQ(tokens.List(handler).value().size(), 1u);
  EXPECT_EQ(tokens.List(admin).value().size(), 2u);
  EXPECT_EQ(tokens.Revoke(handler, for_rep->row.id).status().code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(tokens.Revoke(handler, mine->row.id).ok());
  EXPECT_FALSE(tokens.Resolve(mine->token).value().has_value());
  EXPECT_FALSE(tokens.Resolve("vgt_unknown").value().has_value());
}

TEST_F(DeskTest, FirstAdminIsCreatedOnceWithAPasswordToChange) {
  auto first = desk_->EnsureFirstAdmin();
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(first->has_value());
  EXPECT_TRUE(CheckPasswordPolicy("admin", **first).ok());
  auto admin = desk_->users().CheckPassword("admin", **first);
  ASSERT_TRUE(admin.ok());
  EXPECT_TRUE(admin->must_change_password);
  EXPECT_EQ(admin->role, "admin");
  EXPECT_FALSE(desk_->EnsureFirstAdmin().value().has_value()) << "users exist now";
  auto audit = desk_->store().QueryAudit({}).value();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "user.create");
  EXPECT_EQ(audit[0].actor, "system");
  EXPECT_EQ(audit[0].detail_json.find(**first), std::string::npos) << "no password in the log";
  ASSERT_TRUE(desk_->users().SetPassword(*admin, "my own admin password").ok());
  EXPECT_FALSE(desk_->users().Get("admin").value().must_change_password);
}

}  // namespace
}  // namespace vigil::desk
