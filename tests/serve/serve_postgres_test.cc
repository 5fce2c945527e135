// vigil serve on the PostgreSQL store (a real server started for the test): alerts are
// evaluated, delivered and survive kill -9 exactly as on the embedded SQLite store.
#include <gtest/gtest.h>

#include "../store/pg_server.h"
#include "serve_fixture.h"

namespace vigil::testing {
namespace {

[[maybe_unused]] auto* const kPg = ::testing::AddGlobalTestEnvironment(new PgTestEnvironment);

TEST(ServePostgresTest, AlertsAreStoredInPostgresAndSurviveKillNine) {
  absl::StatusOr<std::string> url = PgTestEnvironment::NewDatabase();
  ASSERT_TRUE(url.ok()) << url.status();
  ScratchDir dir;
  HttpTestListener hook;
  SmtpTestServer smtp;
  ServerProcess server(dir.path(), ServeConfig(hook.port(), smtp.hostport()), "2026-11-20T10:00:00+08:00");
  server.Start({"--store", *url});
  ASSERT_EQ(server.PostRecords(Records("A001", "10:00", 20, 10))->status, 200);
  server.AdvanceClock(90'000);
  ASSERT_TRUE(hook.WaitForRequests(1)) << server.Log();
  server.Kill();

  ServerProcess again(dir.path(), ServeConfig(hook.port(), smtp.hostport()), "2026-11-20T10:01:40+08:00");
  again.Start({"--store", *url});
  auto alerts = again.GetJson("/api/v1/alerts");
  ASSERT_EQ(alerts["alerts"].size(), 1u) << alerts.dump() << again.Log();
  EXPECT_EQ(alerts["alerts"][0]["rule"], "system_success");
  auto events = again.GetJson("/api/v1/alerts/events");
  EXPECT_EQ(events["events"].size(), 1u);
}

}  // namespace
}  // namespace vigil::testing
