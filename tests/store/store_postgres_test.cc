// PostgreSQL only: a connection the server dropped is replaced, a server that is gone is
// Unavailable naming the URL, and missing binaries fail the tests loudly.
#include <cstdlib>

#include "store_fixture.h"

namespace vigil::store {
namespace {

// Kills every other session on the database of `url`, as a server restart or an idle-timeout
// proxy would.
void TerminateOtherSessions(const std::string& url) {
  auto killed = testing::PgTestServer::QueryValue(
      url, "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
           "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  ASSERT_TRUE(killed.ok()) << killed.status();
  EXPECT_NE(*killed, "0");
}

TEST(StorePostgres, ReconnectsAfterTheServerDroppedTheConnection) {
  auto url = testing::PgTestEnvironment::NewDatabase();
  ASSERT_TRUE(url.ok()) << url.status();
  auto store = Store::Open(*url);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_OK((*store)->PutMeta("k", "1"));

  ASSERT_NO_FATAL_FAILURE(TerminateOtherSessions(*url));
  EXPECT_EQ(Must((*store)->GetMeta("k")), "1");  // a read on a dead connection: retried

  ASSERT_NO_FATAL_FAILURE(TerminateOtherSessions(*url));
  std::vector<AlertEventRow> events(1);
  events[0].at = 60'000;
  events[0].rule = "r";
  events[0].key_json = "{}";
  EXPECT_OK((*store)->CommitMinute(60'000, &events));  // a write: retried, applied once
  EXPECT_EQ(Must((*store)->QueryEvents({})).size(), 1u);
}

TEST(StorePostgres, ServerGoneIsUnavailableNamingTheUrl) {
  testing::PgTestServer server;  // a server of its own, to stop
  auto base = server.CreateDatabase("gone");
  ASSERT_TRUE(base.ok()) << base.status();
  auto store = Store::Open(*base);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_OK((*store)->PutMeta("k", "1"));
  server.Stop();
  absl::Status s = (*store)->PutMeta("k", "2");
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_NE(std::string(s.message()).find(*base), std::string::npos) << s;
}

TEST(StorePostgres, MissingBinariesFailSayingWhatToInstall) {
  const char* saved = std::getenv("VIGIL_PG_BINDIR");
  std::string restore = saved ? saved : "";
  setenv("VIGIL_PG_BINDIR", "/nonexistent/postgresql/bin", 1);
  testing::PgTestServer server;
  auto url = server.Start();
  if (saved) {
    setenv("VIGIL_PG_BINDIR", restore.c_str(), 1);
  } else {
    unsetenv("VIGIL_PG_BINDIR");
  }
  ASSERT_FALSE(url.ok());
  EXPECT_NE(std::string(url.status().message()).find("postgresql-15"), std::string::npos)
      << url.status();
}

}  // namespace
}  // namespace vigil::store
