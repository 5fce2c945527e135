// The sender against a real HTTP listener on 127.0.0.1: gzip JSON Lines with the token,
// retries that honour Retry-After and deliver a batch exactly once, a listener that comes up
// late, and the answers that no retry can fix.
#include <algorithm>

#include "gtest/gtest.h"
#include "live_fixture.h"
#include "nlohmann/json.hpp"
#include "zlib.h"

namespace vigil::sim {
namespace {

std::string Lines(int first, int n) {
  std::string s;
  for (int i = first; i < first + n; ++i) s += fmt::format(R"({{"txn":"A001","seq":{}}})", i) + "\n";
  return s;
}

std::string Gunzip(const std::string& gz) {
  z_stream zs{};
  inflateInit2(&zs, 15 + 16);
  std::string out(1 << 20, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

TEST(GzipTest, RoundTripsThroughZlib) {
  std::string text = Lines(0, 3000);
  std::string gz = GzipCompress(text);
  ASSERT_GE(gz.size(), 18u);
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);  // the gzip magic
  EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
  EXPECT_LT(gz.size(), text.size() / 4);
  EXPECT_EQ(Gunzip(gz), text);
  EXPECT_EQ(Gunzip(GzipCompress("")), "");
}

TEST(LiveSenderTest, BodiesAreGzipJsonLinesWithTheToken) {
  IngestServer server;
  server.Start();
  ManualClock clock(0);
  ClockSleeper sleeper(clock);
  RecordSender sender(To(server.Url()), sleeper);
  for (int b = 0; b < 3; ++b) ASSERT_TRUE(sender.Send(Lines(b * 100, 100), 100).ok());
  std::vector<Received> got = server.all();
  ASSERT_EQ(got.size(), 3u);
  for (int b = 0; b < 3; ++b) {
    const Received& r = got[static_cast<size_t>(b)];
    EXPECT_EQ(r.authorization, "Bearer T0k3n");
    EXPECT_EQ(r.content_type, "application/x-ndjson");
    EXPECT_EQ(r.content_encoding, "gzip");
    EXPECT_EQ(r.body, Lines(b * 100, 100)) << "the listener gunzipped exactly the lines sent";
  }
  EXPECT_TRUE(sleeper.waits.empty());
  EXPECT_EQ(sender.stats().batches, 3);
  EXPECT_EQ(sender.stats().records, 300);
  EXPECT_EQ(sender.stats().accepted, 300);
  EXPECT_EQ(sender.stats().retries, 0);
  EXPECT_EQ(sender.url(), server.Url() + "/api/v1/records");
}

TEST(LiveSenderTest, RetryAfterIsHonouredAndTheBatchDeliveredOnce) {
  IngestServer server([](int n, const httplib::Request&, httplib::Response& res) {
    if (n == 1) res.status = 429, res.set_header("Retry-After", "3");
    if (n == 2) res.status = 503;  // not ready: no Retry-After, the backoff decides
  });
  server.Start();
  ManualClock clock(0);
  ClockSleeper sleeper(clock);
  std::vector<std::string> log;
  RecordSender sender(To(server.Url()), sleeper, [&](const std::string& l) { log.push_back(l); });
  ASSERT_TRUE(sender.Send(Lines(0, 50), 50).ok());
  std::vector<Received> all = server.all();
  ASSERT_EQ(all.size(), 3u);
  for (const Received& r : all) EXPECT_EQ(r.body, Lines(0, 50)) << "the same batch each time";
  ASSERT_EQ(server.accepted().size(), 1u) << "taken exactly once";
  EXPECT_EQ(sleeper.waits, (std::vector<int64_t>{3000, 500}));
  EXPECT_EQ(sender.stats().retries, 2);
  EXPECT_EQ(sender.stats().batches, 1);
  EXPECT_EQ(sender.stats().accepted, 50);
}

TEST(LiveSenderTest, ALateListenerStillGetsEveryBatchOnce) {
  const int port = FreePort();
  IngestServer server;
  ManualClock clock(0);
  ClockSleeper sleeper(clock);
  sleeper.hook = [&](int wait) {
    if (wait == 3) {
      ASSERT_EQ(server.Start(port), port);  // comes up after three refusals
    }
  };
  std::vector<std::string> log;
  RecordSender sender(To(fmt::format("http://127.0.0.1:{}/", port)), sleeper,
                      [&](const std::string& l) { log.push_back(l); });
  for (int b = 0; b < 5; ++b) ASSERT_TRUE(sender.Send(Lines(b * 10, 10), 10).ok()) << b;
  std::vector<Received> got = server.accepted();
  ASSERT_EQ(got.size(), 5u);
  for (int b = 0; b < 5; ++b) EXPECT_EQ(got[static_cast<size_t>(b)].body, Lines(b * 10, 10));
  EXPECT_EQ(sleeper.waits, (std::vector<int64_t>{250, 500, 1000}));
  ASSERT_EQ(log.size(), 2u) << "one line while waiting, one when it takes records";
  EXPECT_NE(log[0].find("waiting for http://127.0.0.1:"), std::string::npos) << log[0];
  EXPECT_NE(log[1].find("takes records again"), std::string::npos) << log[1];
  EXPECT_EQ(sender.stats().records, 50);
}

TEST(LiveSenderTest, RejectionsAreCountedAndTheFirstOnesLogged) {
  IngestServer server([](int, const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"accepted":8,"rejected":2,"errors":["line 3: missing txn",)"
                    R"({"line":7,"reason":"bad ts"}]})",
                    "application/json");
  });
  server.Start();
  ManualClock clock(0);
  ClockSleeper sleeper(clock);
  std::vector<std::string> log;
  RecordSender sender(To(server.Url()), sleeper, [&](const std::string& l) { log.push_back(l); });
  ASSERT_TRUE(sender.Send(Lines(0, 10), 10).ok());
  EXPECT_EQ(sender.stats().accepted, 8);
  EXPECT_EQ(sender.stats().rejected, 2);
  ASSERT_EQ(sender.stats().errors.size(), 2u);
  EXPECT_EQ(sender.stats().errors[0], "line 3: missing txn");
  EXPECT_NE(sender.stats().errors[1].find("bad ts"), std::string::npos);
  EXPECT_EQ(log.size(), 2u);
}

TEST(LiveSenderTest, ARefusedTokenOrABadRequestIsFinal) {
  for (int status : {401, 403, 400, 413}) {
    IngestServer server([status](int, const httplib::Request&, httplib::Response& res) {
      res.status = status;
      res.set_content("no such thing", "text/plain");
    });
    server.Start();
    ManualClock clock(0);
    ClockSleeper sleeper(clock);
    RecordSender sender(To(server.Url(), "wrong"), sleeper);
    absl::Status s = sender.Send(Lines(0, 5), 5);
    const bool auth = status == 401 || status == 403;
    EXPECT_EQ(s.code(), auth ? absl::StatusCode::kPermissionDenied
                             : absl::StatusCode::kInvalidArgument)
        << status << " " << s;
    EXPECT_NE(s.message().find(fmt::format("HTTP {}", status)), absl::string_view::npos) << s;
    EXPECT_EQ(server.all().size(), 1u) << "not retried";
    EXPECT_TRUE(sleeper.waits.empty());
    EXPECT_EQ(sender.stats().batches, 0);
  }
}

TEST(LiveSenderTest, StoppingWhileTheServerIsDownGivesUp) {
  const int port = FreePort();
  struct StopSleeper : Sleeper {
    int calls = 0;
    bool Sleep(int64_t) override { return ++calls < 2; }
  } sleeper;
  RecordSender sender(To(fmt::format("http://127.0.0.1:{}", port)), sleeper);
  absl::Status s = sender.Send(Lines(0, 5), 5);
  EXPECT_EQ(s.code(), absl::StatusCode::kCancelled) << s;
  EXPECT_EQ(sleeper.calls, 2);
  EXPECT_EQ(sender.stats().batches, 0);
}

}  // namespace
}  // namespace vigil::sim
