// `vigil user add|list|set|passwd|disable`: the desk's users from the command line, on the store
// the server uses (--data DIR: SQLite in DIR, as `vigil serve --data`; or --store URL). SQLite in
// WAL mode lets this run while the server does. Passwords are read from the first line of
// stdin (never from the command line, where `ps` shows them), or generated and printed once
// with --generate-password. Every change is in the audit log as "cli:<login name>".
#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "common/clock.h"
#include "desk/desk.h"
#include "fmt/format.h"
#include "fmt/ranges.h"
#include "store/store.h"

namespace vigil::cli {
namespace {

struct UserFlags {
  std::string data_dir = "./vigil-data";
  std::string store_url;
  std::string name;
  std::string role;
  std::vector<std::string> groups;
  std::string email;
  bool generate_password = false;
  CLI::Option* email_option = nullptr;  // `set`: which fields were given
  CLI::Option* role_option = nullptr;
  CLI::Option* group_option = nullptr;
};

std::string Actor() {
  const passwd* pw = ::getpwuid(::getuid());
  return fmt::format("cli:{}", pw ? pw->pw_name : std::to_string(::getuid()));
}

// The store and the desk over it; nullptr after printing why.
struct Opened {
  std::unique_ptr<store::Store> store;
  SystemClock clock;
  std::unique_ptr<desk::Desk> desk;
};

std::unique_ptr<Opened> OpenDesk(const UserFlags& f) {
  std::string url = f.store_url;
  if (url.empty()) {
    url = "sqlite://" + std::filesystem::absolute(f.data_dir).string() + "/vigil.db";
  }
  auto store = store::Store::Open(url);
  if (!store.ok()) {
    fmt::print(stderr, "user: cannot open the store: {}\n", std::string(store.status().message()));
    return nullptr;
  }
  auto opened = std::make_unique<Opened>();
  opened->store = std::move(*store);
  auto* desk_store = dynamic_cast<store::DeskStore*>(opened->store.get());
  opened->desk = std::make_unique<desk::Desk>(desk_store, &opened->clock);
  return opened;
}

// The new password: generated and printed, or the first line of stdin.
bool ReadPassword(const UserFlags& f, const std::string& name, std::string* out) {
  if (f.generate_password) {
    *out = desk::GeneratePassword();
    fmt::print("password for {}: {}\n", name, *out);
    return true;
  }
  if (::isatty(STDIN_FILENO)) fmt::print(stderr, "password for {} (input is shown): ", name);
  if (!std::getline(std::cin, *out) || out->empty()) {
    fmt::print(stderr, "user: no password on stdin (or use --generate-password)\n");
    return false;
  }
  if (!out->empty() && out->back() == '\r') out->pop_back();
  return true;
}

int Fail(const absl::Status& s) {
  fmt::print(stderr, "user: {}\n", std::string(s.message()));
  return 1;
}

int RunAdd(const UserFlags& f) {
  auto d = OpenDesk(f);
  if (!d) return 2;
  desk::NewUser u{f.name, f.role, f.groups, "", false, f.email};
  if (!ReadPassword(f, f.name, &u.password)) return 2;
  u.must_change_password = f.generate_password;
  auto created = d->desk->users().Create(u);
  if (!created.ok()) return Fail(created.status());
  d->desk->audit().Record(Actor(), "user.create", "user:" + f.name,
                          {{"role", created->role}, {"groups", created->groups},
                           {"email", created->email}});
  fmt::print("user {} added ({}{})\n", f.name, created->role,
             created->groups.empty() ? "" : fmt::format(": {}", fmt::join(created->groups, ", ")));
  return 0;
}

int RunList(const UserFlags& f) {
  auto d = OpenDesk(f);
  if (!d) return 2;
  auto users = d->desk->store().ListUsers();
  if (!users.ok()) return Fail(users.status());
  fmt::print("{:<24} {:<9} {:<20} {:<32} {}\n", "NAME", "ROLE", "GROUPS", "EMAIL", "STATE");
  for (const auto& u : *users) {
    std::string state = u.disabled ? "disabled" : u.must_change_password ? "must change password" : "active";
    fmt::print("{:<24} {:<9} {:<20} {:<32} {}\n", u.name, u.role,
               fmt::format("{}", fmt::join(u.groups, ",")), u.email.empty() ? "-" : u.email, state);
  }
  return 0;
}

// `vigil user set NAME [--email ADDR] [--role R] [--group G ...]`: the fields given change.
int RunSet(const UserFlags& f) {
  desk::UserChange change;
  if (*f.email_option) change.email = f.email;
  if (*f.role_option) change.role = f.role;
  if (*f.group_option) change.groups = f.groups;
  if (!change.email && !change.role && !change.groups) {
    fmt::print(stderr, "user: nothing to change (give --email, --role or --group)\n");
    return 2;
  }
  auto d = OpenDesk(f);
  if (!d) return 2;
  auto changed = d->desk->users().Change(f.name, change);
  if (!changed.ok()) return Fail(changed.status());
  d->desk->audit().Record(Actor(), "user.update", "user:" + f.name,
                          {{"role", changed->role}, {"groups", changed->groups},
                           {"email", changed->email}});
  fmt::print("user {}: {}{}, e-mail {}\n", f.name, changed->role,
             changed->groups.empty() ? "" : fmt::format(" ({})", fmt::join(changed->groups, ", ")),
             changed->email.empty() ? "none" : changed->email);
  return 0;
}

int RunPasswd(const UserFlags& f) {
  auto d = OpenDesk(f);
  if (!d) return 2;
  auto user = d->desk->users().Get(f.name);
  if (!user.ok()) return Fail(user.status());
  std::string password;
  if (!ReadPassword(f, f.name, &password)) return 2;
  store::UserRow row = *user;
  if (auto s = d->desk->users().SetPassword(row, password); !s.ok()) return Fail(s);
  if (f.generate_password) {  // someone else knows it now: the user replaces it at login
    auto again = d->desk->users().Get(f.name);
    if (again.ok()) {
      again->must_change_password = true;
      (void)d->desk->store().UpdateUser(*again);
    }
  }
  auto ended = d->desk->sessions().EndAll(user->id);
  d->desk->audit().Record(Actor(), "user.password_set", "user:" + f.name,
                          {{"sessions_ended", ended.value_or(0)}});
  fmt::print("password of {} set; {} session(s) ended\n", f.name, ended.value_or(0));
  return 0;
}

int RunDisable(const UserFlags& f) {
  auto d = OpenDesk(f);
  if (!d) return 2;
  desk::UserChange change;
  change.disabled = true;
  auto changed = d->desk->users().Change(f.name, change);
  if (!changed.ok()) return Fail(changed.status());
  auto ended = d->desk->sessions().EndAll(changed->id);
  d->desk->audit().Record(Actor(), "user.update", "user:" + f.name,
                          {{"disabled", true}, {"sessions_ended", ended.value_or(0)}});
  fmt::print("user {} disabled; {} session(s) ended\n", f.name, ended.value_or(0));
  return 0;
}

void StoreFlags(CLI::App* sub, UserFlags* f) {
  sub->add_option("--data", f->data_dir, "the server's data directory (SQLite store in it)");
  sub->add_option("--store", f->store_url, "store URL: sqlite:///path.db or postgresql://...");
}

}  // namespace

void RegisterUser(CLI::App& app, int* exit_code) {
  auto f = std::make_shared<UserFlags>();
  auto* user = app.add_subcommand("user", "Manage the incident desk's users");
  user->require_subcommand(1);

  auto* add = user->add_subcommand("add", "Add a user; the password is read from stdin");
  add->add_option("name", f->name, "user name")->required();
  add->add_option("--role", f->role, "reporter, member, handler or admin")->required();
  add->add_option("--group", f->groups, "a member's group: test, dev, ops, product (repeatable)");
  add->add_option("--email", f->email, "where replies and resolutions of their reports are mailed");
  add->add_flag("--generate-password", f->generate_password,
                "generate a password, print it once; the user must change it at first login");
  StoreFlags(add, f.get());
  add->callback([f, exit_code] { *exit_code = RunAdd(*f); });

  auto* list = user->add_subcommand("list", "List users with role, groups and state");
  StoreFlags(list, f.get());
  list->callback([f, exit_code] { *exit_code = RunList(*f); });

  auto* set = user->add_subcommand("set", "Change a user's e-mail address, role or groups");
  set->add_option("name", f->name, "user name")->required();
  f->email_option = set->add_option("--email", f->email, "e-mail address (\"\" removes it)");
  f->role_option = set->add_option("--role", f->role, "reporter, member, handler or admin");
  f->group_option = set->add_option("--group", f->groups, "a member's groups (repeatable; replaces)");
  StoreFlags(set, f.get());
  set->callback([f, exit_code] { *exit_code = RunSet(*f); });

  auto* passwd = user->add_subcommand("passwd", "Set a user's password (stdin); ends their sessions");
  passwd->add_option("name", f->name, "user name")->required();
  passwd->add_flag("--generate-password", f->generate_password,
                   "generate a password, print it once; the user must change it at login");
  StoreFlags(passwd, f.get());
  passwd->callback([f, exit_code] { *exit_code = RunPasswd(*f); });

  auto* disable = user->add_subcommand("disable", "Disable a user and end their sessions");
  disable->add_option("name", f->name, "user name")->required();
  StoreFlags(disable, f.get());
  disable->callback([f, exit_code] { *exit_code = RunDisable(*f); });
}

}  // namespace vigil::cli
