// Login throttling with a hand-driven clock: five free failures, then exponentially growing
// waits capped at 15 minutes, per user name and per address; a success clears both.
#include <gtest/gtest.h>

#include "desk/throttle.h"

namespace vigil::desk {
namespace {

constexpr TimeMs kT0 = 1'795'000'000'000;

TEST(ThrottleTest, FiveFreeFailuresThenDoublingWaitsCappedAtFifteenMinutes) {
  ManualClock clock(kT0);
  LoginThrottle t(&clock);
  for (int i = 0; i < 4; ++i) {
    EXPECT_FALSE(t.WaitMs("li", "10.0.0.1").has_value()) << i;
    t.RecordFailure("li", "10.0.0.1");
  }
  EXPECT_FALSE(t.WaitMs("li", "10.0.0.1").has_value()) << "the 5th attempt is free";
  t.RecordFailure("li", "10.0.0.1");
  EXPECT_EQ(t.WaitMs("li", "10.0.0.1"), 1'000) << "the 6th waits";
  clock.Advance(999);
  EXPECT_EQ(t.WaitMs("li", "10.0.0.1"), 1);
  clock.Advance(1);
  EXPECT_FALSE(t.WaitMs("li", "10.0.0.1").has_value());
  int64_t expected = 2'000;
  for (int failures = 6; failures < 20; ++failures) {
    t.RecordFailure("li", "10.0.0.1");
    const int64_t cap = 15 * 60'000;
    EXPECT_EQ(t.WaitMs("li", "10.0.0.1"), std::min(expected, cap)) << failures;
    clock.Advance(std::min(expected, cap));
    expected *= 2;
  }
}

TEST(ThrottleTest, CountsPerUserNameAndPerAddressAndASuccessClearsThem) {
  ManualClock clock(kT0);
  LoginThrottle t(&clock);
  // One address guessing many names is slowed by its address ...
  for (int i = 0; i < 5; ++i) t.RecordFailure("user" + std::to_string(i), "10.9.9.9");
  EXPECT_TRUE(t.WaitMs("fresh-name", "10.9.9.9").has_value());
  EXPECT_FALSE(t.WaitMs("fresh-name", "10.0.0.2").has_value());
  // ... and many addresses guessing one name by the name.
  for (int i = 0; i < 5; ++i) t.RecordFailure("wang", "10.1.0." + std::to_string(i));
  EXPECT_TRUE(t.WaitMs("wang", "10.2.0.1").has_value());
  t.RecordSuccess("wang", "10.2.0.1");
  EXPECT_FALSE(t.WaitMs("wang", "10.2.0.1").has_value());
  EXPECT_TRUE(t.WaitMs("x", "10.9.9.9").has_value()) << "other addresses keep their count";
}

TEST(ThrottleTest, FailuresAreForgottenAfterTheLongestDelay) {
  ManualClock clock(kT0);
  LoginThrottle t(&clock, {5, 1'000, 60'000});
  for (int i = 0; i < 12; ++i) t.RecordFailure("li", "ip");
  EXPECT_EQ(t.WaitMs("li", "ip"), 60'000);
  clock.Advance(60'001);
  EXPECT_FALSE(t.WaitMs("li", "ip").has_value());
  t.RecordFailure("other", "ip2");  // triggers forgetting stale entries
  t.RecordFailure("li", "ip");      // counted afresh: 1 failure, no wait
  EXPECT_FALSE(t.WaitMs("li", "ip").has_value());
}

}  // namespace
}  // namespace vigil::desk
