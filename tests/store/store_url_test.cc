// Store URLs: dispatch by scheme, and errors that name the URL without its password.
#include "store/store_url.h"

#include <gtest/gtest.h>

#include <fstream>

#include "store/store.h"
#include "store_fixture.h"

namespace vigil::store {
namespace {

TEST(StoreUrl, SqliteForms) {
  auto abs = ParseStoreUrl("sqlite:///var/lib/vigil/vigil.db");
  ASSERT_TRUE(abs.ok());
  EXPECT_EQ(abs->kind, StoreUrl::Kind::kSqlite);
  EXPECT_EQ(abs->target, "/var/lib/vigil/vigil.db");
  EXPECT_EQ(ParseStoreUrl("sqlite:data/vigil.db")->target, "data/vigil.db");
  EXPECT_EQ(ParseStoreUrl("sqlite://data/vigil.db")->target, "data/vigil.db");
  EXPECT_EQ(ParseStoreUrl("sqlite::memory:")->target, ":memory:");
  EXPECT_EQ(ParseStoreUrl("./vigil.db")->target, "./vigil.db");
  EXPECT_EQ(ParseStoreUrl("/abs/vigil.db")->kind, StoreUrl::Kind::kSqlite);
  EXPECT_FALSE(ParseStoreUrl("sqlite://").ok());
  EXPECT_FALSE(ParseStoreUrl("").ok());
}

TEST(StoreUrl, PostgresForms) {
  for (const char* url : {"postgresql://vigil@db:5432/vigil", "postgres://db/vigil"}) {
    auto u = ParseStoreUrl(url);
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(u->kind, StoreUrl::Kind::kPostgres);
    EXPECT_EQ(u->target, url);
  }
}

TEST(StoreUrl, RedactsPasswords) {
  EXPECT_EQ(RedactUrl("postgresql://vigil:s3cr3t@db:5432/vigil"),
            "postgresql://vigil:***@db:5432/vigil");
  EXPECT_EQ(RedactUrl("postgresql://vigil@db/vigil?sslmode=require&password=s3cr3t&x=1"),
            "postgresql://vigil@db/vigil?sslmode=require&password=***&x=1");
  EXPECT_EQ(RedactUrl("postgresql://db:5432/vigil"), "postgresql://db:5432/vigil");
  EXPECT_EQ(RedactUrl("postgresql://u:p@ss@db/x"), "postgresql://u:***@db/x");
}

void ExpectNamesUrlWithoutPassword(const absl::Status& s, const std::string& shown) {
  std::string message(s.message());
  EXPECT_NE(message.find(shown), std::string::npos) << message;
  EXPECT_EQ(message.find("s3cr3t"), std::string::npos) << message;
}

TEST(StoreOpen, UnknownSchemeIsInvalidArgument) {
  auto s = Store::Open("mysql://root:s3cr3t@db/vigil");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  ExpectNamesUrlWithoutPassword(s.status(), "mysql://root:***@db/vigil");
}

TEST(StoreOpen, UnreachablePostgresNamesTheUrl) {
  // Port 1 on loopback: nothing listens there, the refusal is immediate.
  for (const char* scheme : {"postgresql", "postgres"}) {
    std::string url = std::string(scheme) + "://vigil:s3cr3t@127.0.0.1:1/vigil";
    auto s = Store::Open(url);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), absl::StatusCode::kUnavailable) << s.status();
    ExpectNamesUrlWithoutPassword(s.status(), std::string(scheme) + "://vigil:***@127.0.0.1:1/vigil");
  }
}

TEST(StoreOpen, MalformedPostgresUrlIsInvalidArgument) {
  auto s = Store::Open("postgresql://vigil:s3cr3t@db:notaport/vigil?nonsense=1");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument) << s.status();
  ExpectNamesUrlWithoutPassword(s.status(), "postgresql://vigil:***@db:notaport/vigil");
}

TEST(StoreOpen, SqliteFileThatCannotBeCreatedNamesThePath) {
  auto s = Store::Open("sqlite:///proc/vigil-no-such-dir/vigil.db");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.status().message()).find("/proc/vigil-no-such-dir"), std::string::npos)
      << s.status();
}

TEST(StoreOpen, SqliteFileThatIsNotADatabase) {
  SqliteTestDatabase db;
  auto url = db.Create();
  ASSERT_TRUE(url.ok());
  std::filesystem::create_directories(std::filesystem::path(db.path()).parent_path());
  { std::ofstream(db.path()) << "this is not a database, just text long enough to be a header\n"; }
  auto s = Store::Open(*url);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.status().message()).find(db.path()), std::string::npos) << s.status();
}

TEST(StoreOpen, InMemorySqlite) {
  auto s = Store::Open("sqlite::memory:");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_OK((*s)->PutMeta("a", "b"));
  EXPECT_EQ(Must((*s)->GetMeta("a")), "b");
}

}  // namespace
}  // namespace vigil::store
