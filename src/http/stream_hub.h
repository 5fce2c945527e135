// The listeners of GET /api/v1/stream (server-sent events) and the one thread that feeds them.
//
// Once a period (a second) the producer thread reads what the listeners subscribed to, each
// thing once for all of them: the stats line; the firing alerts, pushed only when their text
// changed (and to a new listener once); the new records per distinct filter (listeners with
// the same filter share one query and one cursor). Every 15 s each listener gets a `: ping`
// comment. A listener's HTTP worker thread sleeps in Next() until there is something to write.
//
// Bounded: at most `max_listeners` at once (Open answers nullptr beyond), and a listener whose
// client does not read (more than 1 MB waiting) is closed. Stop() closes every listener, so the
// HTTP workers return and the server can stop while streams are open.
//
// Thread safety: every public method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/time_util.h"

namespace vigil::http {

struct StreamTopics {
  bool stats = false, alerts = false, records = false;
};

// The records topic's filter (empty: any), as GET /api/v1/records/recent takes it.
struct StreamFilter {
  std::string txn, node, ret, svc_sys, sys;
  std::string Key() const;
};

// What the producer reads; each function returns an event's `data` (one line of JSON).
struct StreamSources {
  std::function<std::string()> stats;
  // The firing alerts; nullopt when they could not be read this time.
  std::function<std::optional<std::string>()> alerts;
  // Records matching `filter` with a time after *after, newest first (at most 200), advancing
  // *after to the newest one sent; nullopt when there are none.
  std::function<std::optional<std::string>(const StreamFilter& filter, TimeMs* after)> records;
  // The time of the newest record matching `filter` (INT64_MIN when none): a new filter's
  // stream starts after it.
  std::function<TimeMs(const StreamFilter& filter)> newest;
};

// Records per second applied, measured on the steady clock over the last few seconds (the
// stats event and GET /api/v1/overview).
class RateMeter {
 public:
  void Sample(int64_t total, std::chrono::steady_clock::time_point at = std::chrono::steady_clock::now());
  double PerSecond() const;

 private:
  mutable std::mutex mu_;
  std::deque<std::pair<std::chrono::steady_clock::time_point, int64_t>> samples_;
};

class StreamHub {
 public:
  struct Listener;

  StreamHub(StreamSources sources, int max_listeners,
            std::chrono::milliseconds period = std::chrono::seconds(1),
            std::chrono::milliseconds ping = std::chrono::seconds(15));
  ~StreamHub();

  void Start();
  // Closes every listener and stops the producer; Open fails afterwards.
  void Stop();

  // A new listener, or nullptr when `max_listeners` are open or the hub stopped.
  std::shared_ptr<Listener> Open(StreamTopics topics, StreamFilter filter);
  // Waits until there is something to send to `l`: true with it in *out; false once `l` is
  // closed (hub stopped, or the client too slow).
  bool Next(Listener& l, std::string* out);
  // The client went away (or the response ended): forget `l`.
  void Close(const std::shared_ptr<Listener>& l);
  int listeners() const;

 private:
  void Loop();
  void Tick(const std::vector<std::shared_ptr<Listener>>& all, bool ping);
  void SendAlerts(const std::vector<std::shared_ptr<Listener>>& all);
  void SendRecords(const std::vector<std::shared_ptr<Listener>>& all);
  static void Deliver(Listener& l, const std::string& text);

  const StreamSources sources_;
  const int max_listeners_;
  const std::chrono::milliseconds period_, ping_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<std::shared_ptr<Listener>> listeners_;
  std::string last_stats_;                // the latest stats event, for new listeners
  std::string last_alerts_;               // the latest alerts event sent
  std::map<std::string, TimeMs> cursors_;  // records sent up to, by filter key (producer only)
  std::thread thread_;
};

}  // namespace vigil::http
