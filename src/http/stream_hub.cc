#include "http/stream_hub.h"
#include "http/sse_mailbox.h"

#include <algorithm>
#include <set>

namespace vigil::http {
namespace {

constexpr auto kRateWindow = std::chrono::seconds(5);

std::string Event(const char* name, const std::string& data) {
  std::string out;
  out.reserve(data.size() + 32);
  out.append("event: ").append(name).append("\ndata: ").append(data).append("\n\n");
  return out;
}

}  // namespace

struct StreamHub::Listener {
  StreamTopics topics;
  StreamFilter filter;
  std::string key;  // filter.Key()
  SseMailbox box;
  bool alerts_sent = false;  // producer thread only
};

std::string StreamFilter::Key() const {
  std::string key;
  for (const std::string* f : {&txn, &node, &ret, &svc_sys, &sys}) key.append(*f).push_back('\0');
  return key;
}

void RateMeter::Sample(int64_t total, std::chrono::steady_clock::time_point at) {
  std::lock_guard lock(mu_);
  samples_.emplace_back(at, total);
  while (samples_.size() > 2 && at - samples_[1].first >= kRateWindow) samples_.pop_front();
}

double RateMeter::PerSecond() const {
  std::lock_guard lock(mu_);
  if (samples_.size() < 2) return 0;
  const auto& [t0, n0] = samples_.front();
  const auto& [t1, n1] = samples_.back();
  const double seconds = std::chrono::duration<double>(t1 - t0).count();
  return seconds > 0 ? static_cast<double>(n1 - n0) / seconds : 0;
}

StreamHub::StreamHub(StreamSources sources, int max_listeners, std::chrono::milliseconds period,
                     std::chrono::milliseconds ping)
    : sources_(std::move(sources)), max_listeners_(max_listeners), period_(period), ping_(ping) {}

StreamHub::~StreamHub() { Stop(); }

void StreamHub::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Loop(); });
}

void StreamHub::Stop() {
  std::vector<std::shared_ptr<Listener>> all;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    all.swap(listeners_);
  }
  wake_.notify_all();
  for (const auto& l : all) l->box.Close();
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<StreamHub::Listener> StreamHub::Open(StreamTopics topics, StreamFilter filter) {
  auto l = std::make_shared<Listener>();
  l->topics = topics;
  l->key = filter.Key();
  l->filter = std::move(filter);
  // A filter nobody used yet starts after the newest record it matches now. Read outside the
  // lock: it queries the series.
  std::optional<TimeMs> start;
  if (topics.records) {
    std::lock_guard lock(mu_);
    if (!cursors_.contains(l->key)) start = INT64_MIN;
  }
  if (start && sources_.newest) start = sources_.newest(l->filter);
  std::lock_guard lock(mu_);
  if (stopping_ || static_cast<int>(listeners_.size()) >= max_listeners_) return nullptr;
  if (start) cursors_.emplace(l->key, *start);
  listeners_.push_back(l);
  if (topics.stats && !last_stats_.empty()) Deliver(*l, last_stats_);
  return l;
}

bool StreamHub::Next(Listener& l, std::string* out) { return l.box.Next(out); }

void StreamHub::Close(const std::shared_ptr<Listener>& l) {
  {
    std::lock_guard lock(mu_);
    listeners_.erase(std::remove(listeners_.begin(), listeners_.end(), l), listeners_.end());
  }
  l->box.Close();
}

int StreamHub::listeners() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(listeners_.size());
}

void StreamHub::Deliver(Listener& l, const std::string& text) { l.box.Deliver(text); }

void StreamHub::Loop() {
  using Clock = std::chrono::steady_clock;
  auto next = Clock::now();
  auto next_ping = next + ping_;
  while (true) {
    std::vector<std::shared_ptr<Listener>> all;
    {
      std::unique_lock lock(mu_);
      wake_.wait_until(lock, next, [&] { return stopping_; });
      if (stopping_) return;
      all = listeners_;
    }
    const auto now = Clock::now();
    const bool ping = now >= next_ping;
    if (ping) next_ping = now + ping_;
    Tick(all, ping);
    next += period_;
    if (next < now) next = now + period_;  // fell behind (a slow read): skip, do not burst
  }
}

void StreamHub::Tick(const std::vector<std::shared_ptr<Listener>>& all, bool ping) {
  // The stats are read even without listeners: the read samples the ingest rate meter.
  const std::string stats = Event("stats", sources_.stats ? sources_.stats() : "{}");
  {
    std::lock_guard lock(mu_);
    last_stats_ = stats;
  }
  for (const auto& l : all) {
    if (l->topics.stats) Deliver(*l, stats);
  }
  SendAlerts(all);
  SendRecords(all);
  if (ping) {
    for (const auto& l : all) Deliver(*l, ": ping\n\n");
  }
}

void StreamHub::SendAlerts(const std::vector<std::shared_ptr<Listener>>& all) {
  const bool wanted = std::any_of(all.begin(), all.end(), [](const auto& l) { return l->topics.alerts; });
  if (!wanted || !sources_.alerts) return;
  const std::optional<std::string> body = sources_.alerts();
  if (!body) return;
  const std::string event = Event("alerts", *body);
  const bool changed = event != last_alerts_;
  last_alerts_ = event;
  for (const auto& l : all) {
    if (!l->topics.alerts || (!changed && l->alerts_sent)) continue;
    Deliver(*l, event);
    l->alerts_sent = true;
  }
}

void StreamHub::SendRecords(const std::vector<std::shared_ptr<Listener>>& all) {
  std::map<std::string, const StreamFilter*> groups;
  for (const auto& l : all) {
    if (l->topics.records) groups.emplace(l->key, &l->filter);
  }
  std::map<std::string, TimeMs> cursors;
  {
    std::lock_guard lock(mu_);
    for (auto it = cursors_.begin(); it != cursors_.end();) {
      it = groups.contains(it->first) ? std::next(it) : cursors_.erase(it);
    }
    cursors = cursors_;
  }
  if (!sources_.records) return;
  for (const auto& [key, filter] : groups) {
    auto cursor = cursors.find(key);
    if (cursor == cursors.end()) continue;  // opened after the copy: next time
    std::optional<std::string> records = sources_.records(*filter, &cursor->second);
    {
      std::lock_guard lock(mu_);
      if (auto it = cursors_.find(key); it != cursors_.end()) it->second = std::max(it->second, cursor->second);
    }
    if (!records) continue;
    const std::string event = Event("records", *records);
    for (const auto& l : all) {
      if (l->topics.records && l->key == key) Deliver(*l, event);
    }
  }
}

}  // namespace vigil::http
