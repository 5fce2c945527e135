#include "desk/throttle.h"

#include <algorithm>
#include <vector>

#include "common/strings.h"

namespace vigil::desk {
namespace {

std::string UserKey(std::string_view user) { return "u:" + std::string(user); }
std::string IpKey(std::string_view ip) { return "ip:" + std::string(ip); }

}  // namespace

int64_t LoginThrottle::DelayAfter(int failures) const {
  if (failures < options_.free_failures) return 0;
  const int doublings = std::min(failures - options_.free_failures, 40);
  const int64_t delay = options_.base_delay_ms << std::min(doublings, 30);
  return std::min(delay, options_.max_delay_ms);
}

int64_t LoginThrottle::WaitFor(const std::string& key, TimeMs now) {
  auto it = failures_.find(AsAbsl(key));
  if (it == failures_.end()) return 0;
  return std::max<int64_t>(0, it->second.last + DelayAfter(it->second.count) - now);
}

std::optional<int64_t> LoginThrottle::WaitMs(std::string_view user, std::string_view ip) {
  std::lock_guard lock(mu_);
  const TimeMs now = clock_->Now();
  const int64_t wait = std::max(WaitFor(UserKey(user), now), WaitFor(IpKey(ip), now));
  if (wait <= 0) return std::nullopt;
  return wait;
}

void LoginThrottle::RecordFailure(std::string_view user, std::string_view ip) {
  std::lock_guard lock(mu_);
  const TimeMs now = clock_->Now();
  Forget(now);
  for (const std::string& key : {UserKey(user), IpKey(ip)}) {
    Failures& f = failures_[key];
    ++f.count;
    f.last = now;
  }
}

void LoginThrottle::RecordSuccess(std::string_view user, std::string_view ip) {
  std::lock_guard lock(mu_);
  failures_.erase(AsAbsl(UserKey(user)));
  failures_.erase(AsAbsl(IpKey(ip)));
}

void LoginThrottle::Forget(TimeMs now) {
  if (now - last_forget_ < 60'000 && failures_.size() < 100'000) return;
  last_forget_ = now;
  std::vector<std::string> stale;
  for (const auto& [key, f] : failures_) {
    if (now - f.last > options_.max_delay_ms) stale.push_back(key);
  }
  for (const std::string& key : stale) failures_.erase(AsAbsl(key));
}

}  // namespace vigil::desk
