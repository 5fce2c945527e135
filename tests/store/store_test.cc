// The store suite's instantiation (every TEST_P(StoreTest, ...) runs on SQLite and on a real
// PostgreSQL server), and the small key-value parts: metadata, alert groups, source offsets.
#include <thread>

#include "store_fixture.h"

namespace vigil::store {
namespace {

[[maybe_unused]] ::testing::Environment* const kPgEnvironment =
    ::testing::AddGlobalTestEnvironment(new testing::PgTestEnvironment);

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST_P(StoreTest, NamesItsBackend) {
  EXPECT_EQ(store().backend(), GetParam());
}

TEST_P(StoreTest, MetaIsAbsentUntilPutThenOverwritten) {
  EXPECT_EQ(Must(store().GetMeta("config_hash")), std::nullopt);
  EXPECT_OK(store().PutMeta("config_hash", "abc"));
  EXPECT_OK(store().PutMeta("instance", "i-1"));
  EXPECT_EQ(Must(store().GetMeta("config_hash")), "abc");
  EXPECT_OK(store().PutMeta("config_hash", "def"));
  EXPECT_EQ(Must(store().GetMeta("config_hash")), "def");
  EXPECT_EQ(Must(store().GetMeta("instance")), "i-1");
  EXPECT_OK(store().PutMeta("empty", ""));
  EXPECT_EQ(Must(store().GetMeta("empty")), "");  // present and empty is not absent
}

TEST_P(StoreTest, GroupStatesPutGetDeleteAndList) {
  EXPECT_EQ(Must(store().GetGroupState("g1")), std::nullopt);
  EXPECT_OK(store().PutGroupState("g2", R"({"last_sent":2})"));
  EXPECT_OK(store().PutGroupState("g1", R"({"last_sent":1})"));
  EXPECT_OK(store().PutGroupState("g1", R"({"last_sent":10})"));
  EXPECT_EQ(Must(store().GetGroupState("g1")), R"({"last_sent":10})");
  using Groups = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(Must(store().GroupStates()),
            (Groups{{"g1", R"({"last_sent":10})"}, {"g2", R"({"last_sent":2})"}}));
  EXPECT_OK(store().DeleteGroupState("g1"));
  EXPECT_OK(store().DeleteGroupState("absent"));  // deleting nothing is fine
  EXPECT_EQ(Must(store().GetGroupState("g1")), std::nullopt);
  EXPECT_EQ(Must(store().GroupStates()), (Groups{{"g2", R"({"last_sent":2})"}}));
}

TEST_P(StoreTest, GroupStatesWrittenTogetherPutsFirstThenDeletes) {
  using Groups = std::vector<std::pair<std::string, std::string>>;
  EXPECT_OK(store().PutGroupState("old", "{}"));
  EXPECT_OK(store().WriteGroupStates({{"g1", "1"}, {"g2", "2"}, {"g1", "10"}, {"gone", "x"}},
                                     {"old", "gone", "absent"}));
  EXPECT_EQ(Must(store().GroupStates()), (Groups{{"g1", "10"}, {"g2", "2"}}));
  EXPECT_OK(store().WriteGroupStates({}, {}));  // nothing to write is fine
  EXPECT_EQ(Must(store().GroupStates()).size(), 2u);
}

TEST_P(StoreTest, OffsetsPerSource) {
  EXPECT_EQ(Must(store().GetOffset("file:/var/log/a.jsonl")), std::nullopt);
  EXPECT_OK(store().PutOffset("file:/var/log/a.jsonl", "inode=12 offset=4096"));
  EXPECT_OK(store().PutOffset("kafka:txn/0", "981"));
  EXPECT_OK(store().PutOffset("file:/var/log/a.jsonl", "inode=12 offset=8192"));
  EXPECT_EQ(Must(store().GetOffset("file:/var/log/a.jsonl")), "inode=12 offset=8192");
  EXPECT_EQ(Must(store().GetOffset("kafka:txn/0")), "981");
}

// Several threads on one store (SQLite: one connection under a mutex; PostgreSQL: the pool).
TEST_P(StoreTest, CallsFromSeveralThreads) {
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::vector<Notification> one(1);
        one[0].dedup_key = std::to_string(t) + "/" + std::to_string(i);
        EXPECT_OK(store().Enqueue(&one));
        EXPECT_OK(store().PutMeta("thread" + std::to_string(t), std::to_string(i)));
        EXPECT_TRUE(store().Outbox().ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(Must(store().Outbox()).pending, kThreads * kEach);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(Must(store().GetMeta("thread" + std::to_string(t))), std::to_string(kEach - 1));
  }
}

}  // namespace
}  // namespace vigil::store
