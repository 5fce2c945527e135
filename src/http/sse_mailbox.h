// One open event stream's outbox: the producer delivers text, the connection's worker takes
// it. Shared by the monitoring stream (stream_hub.h) and the desk's (desk_stream.h).
// Bounded: a client that stops reading is closed rather than buffered without end.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

namespace vigil::http {

class SseMailbox {
 public:
  static constexpr size_t kMaxPending = 1 << 20;  // bytes waiting before the client is dropped

  // Waits until there is something to send: true with it in *out; false once closed.
  bool Next(std::string* out) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return closed_ || !pending_.empty(); });
    if (closed_) return false;
    out->clear();
    out->swap(pending_);
    return true;
  }

  // Appends `text` unless closed; closes the mailbox when the client is too far behind.
  void Deliver(std::string_view text) {
    std::lock_guard lock(mu_);
    if (closed_) return;
    if (pending_.size() + text.size() > kMaxPending) {
      closed_ = true;
      pending_.clear();
    } else {
      pending_ += text;
    }
    cv_.notify_all();
  }

  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::string pending_;
  bool closed_ = false;
};

}  // namespace vigil::http
