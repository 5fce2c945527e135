// Replay over real files: rejections counted without losing neighbours, the future-skew rule
// with look-ahead, exit status, and the summary on stderr.
#include "engine/replay.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "harness.h"

namespace vigil::testing {
namespace {

class ReplayFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vigil_replay_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  // Runs replay with the base config; returns the events and fills `summary` with stderr.
  std::vector<AlertEvent> Replay(const std::vector<std::string>& inputs, std::string* summary,
                                 int* exit_code, const std::string& extra = "",
                                 const std::string& history = "", const std::string& write_history = "") {
    ConfigLoad load = LoadConfigText(BaseYaml(extra));
    EXPECT_TRUE(load.ok());
    Calendar cal(load.config.calendar, *LoadTimeZone("Asia/Shanghai"));
    CollectSink sink;
    ReplayOptions options;
    options.inputs = inputs;
    options.progress = false;
    options.history_dir = history;
    options.write_history_dir = write_history;
    char* buf = nullptr;
    size_t len = 0;
    std::FILE* err = open_memstream(&buf, &len);
    *exit_code = RunReplay(load.config, cal, options, &sink, err).exit_code;
    std::fclose(err);
    *summary = std::string(buf, len);
    std::free(buf);
    return sink.events;
  }

  std::filesystem::path dir_;
};

std::string Line(const std::string& ts, const std::string& txn, const std::string& ret) {
  return "{\"ts\":\"" + ts + "+08:00\",\"txn\":\"" + txn + "\",\"ret\":\"" + ret + "\"}\n";
}

TEST_F(ReplayFiles, BadLinesAreCountedWithLineNumbersAndTheirNeighboursKept) {
  std::string text = Line("2026-11-20T10:00:00", "A1", "999") + "{not json\n" +
                     "{\"ts\":\"2026-11-20T10:00:01+08:00\",\"txn\":\"A1\"}\n" +
                     Line("2026-11-20T10:00:02", "A1", "999") +
                     Line("2026-11-20T10:01:30", "A1", "000000");  // so that 10:01 is evaluated
  std::string summary;
  int rc = 0;
  auto events = Replay({Write("in.jsonl", text)}, &summary, &rc, "defaults: {abnormal_threshold: 2}\n");
  EXPECT_EQ(rc, 0);
  ASSERT_EQ(events.size(), 1u);  // both good records reached the engine: 2 system failures
  EXPECT_EQ(events[0].rule, Rule::kAbnormalCount);
  EXPECT_NE(summary.find("3 accepted, 2 rejected"), std::string::npos) << summary;
  EXPECT_NE(summary.find("in.jsonl:2: invalid_json"), std::string::npos) << summary;
  EXPECT_NE(summary.find("in.jsonl:3: missing_field (ret)"), std::string::npos) << summary;
}

TEST_F(ReplayFiles, ALoneRecordFarAheadIsRejectedAndTheStreamGoesOn) {
  std::string text = Line("2026-11-20T10:00:00", "A1", "000000") +
                     Line("2026-11-20T13:00:00", "A1", "000000") +  // wrong clock
                     Line("2026-11-20T10:00:30", "A1", "000000");
  std::string summary;
  int rc = 0;
  Replay({Write("in.jsonl", text)}, &summary, &rc);
  EXPECT_NE(summary.find("2 accepted, 1 rejected"), std::string::npos) << summary;
  EXPECT_NE(summary.find("in.jsonl:2: future_time (ts)"), std::string::npos) << summary;
}

TEST_F(ReplayFiles, AGapConfirmedByTheNextRecordIsAccepted) {
  // A quiet night: nothing between 20:00 and 08:00. Both morning records are real.
  std::string text = Line("2026-11-19T20:00:00", "A1", "000000") +
                     Line("2026-11-20T08:00:00", "A1", "999") +
                     Line("2026-11-20T08:00:10", "A1", "999") +
                     Line("2026-11-20T09:00:00", "A1", "000000");
  std::string summary;
  int rc = 0;
  auto events = Replay({Write("in.jsonl", text)}, &summary, &rc, "defaults: {abnormal_threshold: 2}\n");
  EXPECT_NE(summary.find("4 accepted, 0 rejected"), std::string::npos) << summary;
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].rule, Rule::kAbnormalCount);
}

TEST_F(ReplayFiles, AFarRecordAtTheEndHasNothingToConfirmIt) {
  std::string text = Line("2026-11-20T10:00:00", "A1", "000000") + Line("2026-11-21T10:00:00", "A1", "000000");
  std::string summary;
  int rc = 0;
  Replay({Write("in.jsonl", text)}, &summary, &rc);
  EXPECT_NE(summary.find("1 accepted, 1 rejected"), std::string::npos) << summary;
}

TEST_F(ReplayFiles, AnUnreadableInputExitsTwoAfterReplayingTheRest) {
  std::string good = Write("good.jsonl", Line("2026-11-20T10:00:00", "A1", "999") +
                                             Line("2026-11-20T10:00:05", "A1", "999") +
                                             Line("2026-11-20T10:01:30", "A1", "000000"));
  std::string summary;
  int rc = 0;
  auto events = Replay({good, (dir_ / "missing.jsonl").string()}, &summary, &rc, "defaults: {abnormal_threshold: 2}\n");
  EXPECT_EQ(rc, 2);
  EXPECT_EQ(events.size(), 1u);
  EXPECT_NE(summary.find("missing.jsonl"), std::string::npos) << summary;
}

// `per_minute` records of A5 a minute from 14:00 to 16:00 on `day`.
std::string Afternoon(const std::string& day, int per_minute) {
  std::string text;
  for (int m = 0; m < 120; ++m) {
    for (int i = 0; i < per_minute; ++i) {
      char ts[64];
      std::snprintf(ts, sizeof ts, "%sT%02d:%02d:%02d", day.c_str(), 14 + m / 60, m % 60, i * 60 / per_minute);
      text += Line(ts, "A5", "000000");
    }
  }
  return text;
}

TEST_F(ReplayFiles, HistoryWrittenByOneReplayGivesTheSameBaselinesToTheNext) {
  std::string earlier, last = Afternoon("2026-11-20", 40);
  for (const char* day : {"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"}) earlier += Afternoon(day, 100);
  std::string summary;
  int rc = 0;
  auto whole = Replay({Write("all.jsonl", earlier + last)}, &summary, &rc);
  std::string hist = (dir_ / "hist").string();
  Replay({Write("earlier.jsonl", earlier)}, &summary, &rc, "", "", hist);
  EXPECT_NE(summary.find("4 day(s) written"), std::string::npos) << summary;
  auto split = Replay({Write("last.jsonl", last)}, &summary, &rc, "", hist);
  EXPECT_EQ(rc, 0) << summary;

  auto on_last_day = [](const std::vector<AlertEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) {
      if (e.at >= T("2026-11-20 00:00")) out.push_back(AlertToJson(e, *LoadTimeZone("Asia/Shanghai")));
    }
    return out;
  };
  ASSERT_FALSE(on_last_day(whole).empty());  // the collapse to 40% was seen
  EXPECT_EQ(on_last_day(split), on_last_day(whole));
}

TEST_F(ReplayFiles, ABadHistoryFileIsNamedWithItsLine) {
  std::filesystem::create_directories(dir_ / "hist");
  std::ofstream(dir_ / "hist" / "2026-11-19.jsonl") << "{\"day\":\"2026-11-19\",\"txn\":\"A1\",\"minutes\":[[1,2]]}\n{oops\n";
  std::string summary;
  int rc = 0;
  Replay({Write("in.jsonl", Line("2026-11-20T10:00:00", "A1", "000000"))}, &summary, &rc, "",
         (dir_ / "hist").string());
  EXPECT_EQ(rc, 2);
  EXPECT_NE(summary.find("2026-11-19.jsonl:2:"), std::string::npos) << summary;
}

TEST_F(ReplayFiles, EmptyInputRunsAndSaysSo) {
  std::string summary;
  int rc = 0;
  auto events = Replay({Write("empty.jsonl", "")}, &summary, &rc);
  EXPECT_EQ(rc, 0);
  EXPECT_TRUE(events.empty());
  EXPECT_NE(summary.find("0 records read"), std::string::npos) << summary;
}

}  // namespace
}  // namespace vigil::testing
