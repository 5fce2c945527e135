// `--retention KIND=DURATION`: what it sets, and refusals that name the entry.
#include "serve/retention.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vigil::serve {
namespace {

using ::testing::HasSubstr;

TEST(RetentionFlagsTest, EntriesSetTheirKindAndTheRestKeepTheDefaults) {
  RetentionOptions o;
  ASSERT_TRUE(ParseRetention({"alert_events=180d", "ack_log=0", "history=35d",
                              "notifications=1d", "abnormal_records=12h"},
                             &o)
                  .ok());
  EXPECT_EQ(o.alert_events_ms, 180 * kMsPerDay);
  EXPECT_EQ(o.ack_log_ms, 0);  // kept for ever
  EXPECT_EQ(o.history_ms, 35 * kMsPerDay);
  EXPECT_EQ(o.notifications_ms, kMsPerDay);  // the shortest allowed
  EXPECT_EQ(o.abnormal_records_ms, 12 * kMsPerHour);
  RetentionOptions defaults;
  ASSERT_TRUE(ParseRetention({}, &defaults).ok());
  EXPECT_EQ(defaults.alert_events_ms, 90 * kMsPerDay);
  EXPECT_EQ(defaults.notifications_ms, 30 * kMsPerDay);
  EXPECT_EQ(defaults.history_ms, 400 * kMsPerDay);
}

TEST(RetentionFlagsTest, MistakesAreRefusedNamingTheEntry) {
  RetentionOptions o;
  auto refused = [&](const std::string& entry, const std::string& why) {
    absl::Status s = ParseRetention({entry}, &o);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << entry;
    EXPECT_THAT(std::string(s.message()), HasSubstr("--retention '" + entry + "'"));
    EXPECT_THAT(std::string(s.message()), HasSubstr(why));
  };
  refused("events=90d", "KIND one of alert_events");
  refused("alert_events", "KIND=DURATION");
  refused("alert_events=ninety", "invalid duration");
  refused("notifications=12h", "at least 1d");
  refused("history=36h", "whole days");
  EXPECT_EQ(o.alert_events_ms, 90 * kMsPerDay);  // nothing set by a refused entry
}

}  // namespace
}  // namespace vigil::serve
