#include "http/desk_stream.h"

#include <algorithm>

#include "fmt/format.h"
#include "http/incident_json.h"
#include "http/sse_mailbox.h"
#include "spdlog/spdlog.h"

namespace vigil::http {
namespace {

constexpr size_t kMaxQueue = 10'000;

std::string Event(std::string_view name, const Json& data) {
  return fmt::format("event: {}\ndata: {}\n\n", name,
                     data.dump(-1, ' ', false, Json::error_handler_t::replace));
}

}  // namespace

struct DeskStreamHub::Listener {
  desk::Principal who;  // read and replaced on the feeder thread only (after Open)
  Recheck recheck;
  SseMailbox box;
};

DeskStreamHub::DeskStreamHub(desk::IncidentService* incidents, int max_listeners,
                             std::chrono::milliseconds ping)
    : incidents_(incidents), max_listeners_(max_listeners), ping_(ping) {}

DeskStreamHub::~DeskStreamHub() {
  Stop();
  alive_.reset();
}

void DeskStreamHub::Start() {
  {
    std::lock_guard lock(mu_);
    if (started_) return;
    started_ = true;
  }
  // The service may outlive the hub: a listener of a hub that is gone does nothing.
  std::weak_ptr<int> alive = alive_;
  auto push = [this, alive](Item item) {
    auto hub_alive = alive.lock();
    if (!hub_alive) return;
    std::lock_guard lock(mu_);
    if (stopping_) return;
    if (queue_.size() >= kMaxQueue) queue_.pop_front();
    queue_.push_back(std::move(item));
    wake_.notify_all();
  };
  incidents_->AddListener([push](const desk::DeskEvent& e) { push(e); });
  incidents_->AddNotificationListener(
      [push](const std::vector<store::DeskNotificationRow>& rows) { push(rows); });
  thread_ = std::thread([this] { Loop(); });
}

void DeskStreamHub::Stop() {
  std::vector<std::shared_ptr<Listener>> all;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    all.swap(listeners_);
    wake_.notify_all();
  }
  for (const auto& l : all) l->box.Close();
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<DeskStreamHub::Listener> DeskStreamHub::Open(desk::Principal who, Recheck recheck) {
  auto l = std::make_shared<Listener>();
  l->who = std::move(who);
  l->recheck = std::move(recheck);
  {
    std::lock_guard lock(mu_);
    if (stopping_ || static_cast<int>(listeners_.size()) >= max_listeners_) return nullptr;
    listeners_.push_back(l);
  }
  // The first bytes: the client knows it is listening (and tests wait for this line).
  Deliver(*l, "retry: 3000\n: open\n\n");
  return l;
}

bool DeskStreamHub::Next(Listener& l, std::string* out) { return l.box.Next(out); }

void DeskStreamHub::RecheckUser(int64_t user_id) {
  std::lock_guard lock(mu_);
  if (stopping_) return;
  queue_.push_back(UserRecheck{user_id});
  wake_.notify_all();
}

void DeskStreamHub::Close(const std::shared_ptr<Listener>& l) {
  {
    std::lock_guard lock(mu_);
    listeners_.erase(std::remove(listeners_.begin(), listeners_.end(), l), listeners_.end());
  }
  l->box.Close();
}

int DeskStreamHub::listeners() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(listeners_.size());
}

void DeskStreamHub::Deliver(Listener& l, const std::string& text) { l.box.Deliver(text); }

void DeskStreamHub::Loop() {
  using Clock = std::chrono::steady_clock;
  auto next_ping = Clock::now() + ping_;
  for (;;) {
    std::deque<Item> items;
    std::vector<std::shared_ptr<Listener>> all;
    bool ping = false;
    {
      std::unique_lock lock(mu_);
      wake_.wait_until(lock, next_ping, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      items.swap(queue_);
      all = listeners_;
      if (Clock::now() >= next_ping) {
        ping = true;
        next_ping = Clock::now() + ping_;
      }
    }
    for (const Item& item : items) {
      if (all.empty()) break;
      std::visit([&](const auto& x) { Feed(x, all); }, item);
    }
    if (ping) {
      Feed(UserRecheck{0}, all);
      for (const auto& l : all) Deliver(*l, ": ping\n\n");
    }
  }
}

void DeskStreamHub::Feed(const desk::DeskEvent& e,
                         const std::vector<std::shared_ptr<Listener>>& all) {
  auto row = incidents_->store().GetIncident(e.incident_id);
  if (!row.ok() || !row->has_value()) {
    if (!row.ok()) spdlog::warn("incident stream: reading incident {}: {}", e.incident_id, row.status().ToString());
    return;
  }
  std::optional<store::IncidentMessageRow> message;
  if (e.kind == desk::DeskEventKind::kMessagePosted && e.message_id > 0) {
    auto m = store::FindMessage(incidents_->store(), e.incident_id, e.message_id, true);
    if (m.ok()) message = std::move(*m);
  }
  // Everyone who may see them gets the same text: the message made once, the incident once per
  // view (customer identifiers in clear or masked), not once per listener (200 pages open).
  std::optional<std::string> message_text;
  std::optional<std::string> incident_text[2];
  for (const auto& l : all) {
    if (!desk::IncidentService::MayRead(l->who, **row)) continue;
    if (message) {
      if (message->kind == "internal" && !desk::IncidentService::SeesInternal(l->who, **row)) continue;
      if (!message_text) {
        message_text = Event("message", {{"incident_id", e.incident_id}, {"message", MessageJson(*message)}});
      }
      Deliver(*l, *message_text);
    }
    std::optional<std::string>& text = incident_text[desk::IncidentService::CustomerInClear(l->who, **row)];
    if (!text) {
      Json incident = IncidentJson(incidents_->ViewOf(l->who, **row), /*with_unread=*/false);
      text = Event("incident", {{"incident", incident}, {"event", std::string(desk::DeskEventKindName(e.kind))}});
    }
    Deliver(*l, *text);
  }
}

void DeskStreamHub::Feed(const UserRecheck& r, const std::vector<std::shared_ptr<Listener>>& all) {
  for (const auto& l : all) {
    if (!l->recheck || (r.user_id != 0 && l->who.user_id != r.user_id)) continue;
    if (std::optional<desk::Principal> now = l->recheck()) {
      l->who = std::move(*now);
    } else {
      Close(l);  // the client's next request answers 401: it logs in again
    }
  }
}

void DeskStreamHub::Feed(const std::vector<store::DeskNotificationRow>& rows,
                         const std::vector<std::shared_ptr<Listener>>& all) {
  for (const store::DeskNotificationRow& n : rows) {
    std::optional<int64_t> unread;
    for (const auto& l : all) {
      if (l->who.name != n.user) continue;
      if (!unread) {
        auto count = incidents_->store().CountUnreadDeskNotifications(n.user);
        unread = count.ok() ? *count : 0;
      }
      Deliver(*l, Event("notification", {{"notification", NotificationJson(n)}, {"unread", *unread}}));
    }
  }
}

}  // namespace vigil::http
