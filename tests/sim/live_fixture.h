// Helpers for the live-mode tests: worlds at fixed times, a sleeper that moves a manual clock
// instead of waiting, and a real HTTP listener (cpp-httplib on 127.0.0.1) standing in for
// `vigil serve`'s ingest endpoint.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/time_util.h"
#include "fmt/format.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "sim/live_feed.h"
#include "sim/live_sender.h"
#include "sim/live_world.h"
#include "sim/simulator.h"

namespace vigil::sim {

inline TimeMs At(const char* rfc3339) {
  TimeMs t = 0;
  EXPECT_EQ(ParseRfc3339Ms(rfc3339, &t), TimeParse::kOk) << rfc3339;
  return t;
}

// 2026-11-20 is a Friday with five workdays in the week before it.
inline std::unique_ptr<LiveWorld> MakeWorld(TimeMs now, double rate = 200, uint64_t seed = 3,
                                            int codes = 200, int backfill_days = 7) {
  LiveOptions o;
  o.codes = codes, o.peak_rate = rate, o.seed = seed, o.backfill_days = backfill_days;
  absl::StatusOr<std::unique_ptr<LiveWorld>> w = LiveWorld::Create(o, now);
  EXPECT_TRUE(w.ok()) << w.status();
  return w.ok() ? std::move(*w) : nullptr;
}

inline LiveFeedOptions FeedWith(const std::string& faults, int64_t every = 5 * kMsPerMinute) {
  LiveFeedOptions o;
  o.kinds = *ParseFaultKinds(faults);
  o.fault_every_ms = every;
  return o;
}

// Steps `feed` from its start to `until` in steps of `step_ms`, collecting the records.
inline std::vector<SimRecord> StepThrough(LiveFeed& feed, TimeMs until, int64_t step_ms) {
  std::vector<SimRecord> out;
  for (TimeMs t = feed.now() + step_ms; t < until; t += step_ms) feed.Step(t, &out);
  feed.Step(until, &out);
  return out;
}

inline SenderOptions To(const std::string& url, const std::string& token = "T0k3n") {
  SenderOptions o;
  o.target = url;
  o.token = token;
  return o;
}

// Waits by moving the manual clock; `hook` (if set) runs first with the wait's number.
class ClockSleeper final : public Sleeper {
 public:
  explicit ClockSleeper(ManualClock& clock) : clock_(clock) {}
  bool Sleep(int64_t ms) override {
    waits.push_back(ms);
    if (hook) hook(static_cast<int>(waits.size()));
    clock_.Advance(ms);
    return true;
  }
  std::vector<int64_t> waits;
  std::function<void(int)> hook;

 private:
  ManualClock& clock_;
};

// A port nobody listens on now (bound to 0, then released) for a listener started later.
inline int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  socklen_t len = sizeof(a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

// One request as the listener saw it (the body already gunzipped by cpp-httplib).
struct Received {
  std::string authorization, content_type, content_encoding, body;
};

// An ingest endpoint on 127.0.0.1: POST /api/v1/records answered by `answer` (given the
// request number, from 1) or, by default, 200 with every line accepted.
class IngestServer {
 public:
  using Answer = std::function<void(int n, const httplib::Request&, httplib::Response&)>;

  explicit IngestServer(Answer answer = nullptr) : answer_(std::move(answer)) {
    // Without it a kept-alive answer waits for the client's delayed ACK (about 40 ms).
    server_.set_tcp_nodelay(true);
    server_.Post("/api/v1/records", [this](const httplib::Request& req, httplib::Response& res) {
      int n;
      {
        std::lock_guard<std::mutex> lock(mu_);
        n = ++requests_;
      }
      res.status = 200;
      if (answer_) answer_(n, req, res);
      if (res.status == 200 && res.body.empty()) {
        res.set_content(fmt::format(R"({{"accepted":{},"rejected":0,"errors":[]}})",
                                    Lines(req.body)),
                        "application/json");
      }
      std::lock_guard<std::mutex> lock(mu_);
      all_.push_back({req.get_header_value("Authorization"), req.get_header_value("Content-Type"),
                      req.get_header_value("Content-Encoding"), req.body});
      if (res.status == 200) accepted_.push_back(all_.back());
    });
  }
  ~IngestServer() { Stop(); }

  // Listens on a port of its own choosing (or `port`) and returns once it accepts.
  int Start(int port = 0) {
    port_ = port == 0 ? server_.bind_to_any_port("127.0.0.1") : port;
    if (port != 0 && !server_.bind_to_port("127.0.0.1", port)) return -1;
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // Connections queue from the bind on; wait for the accept loop so Stop() can end it.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return port_;
  }
  void Stop() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string Url() const { return fmt::format("http://127.0.0.1:{}", port_); }

  std::vector<Received> accepted() {
    std::lock_guard<std::mutex> lock(mu_);
    return accepted_;
  }
  std::vector<Received> all() {
    std::lock_guard<std::mutex> lock(mu_);
    return all_;
  }
  static int64_t Lines(const std::string& body) {
    return static_cast<int64_t>(std::count(body.begin(), body.end(), '\n'));
  }

 private:
  httplib::Server server_;
  Answer answer_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  int requests_ = 0;
  std::vector<Received> all_, accepted_;
};

}  // namespace vigil::sim
