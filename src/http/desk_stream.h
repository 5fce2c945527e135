// The listeners of GET /api/v1/incidents/stream (server-sent events) and the one thread that
// feeds them from the incident service's events (desk/desk_events.h).
//
// Each listener is one caller (a Principal). The service announces a change; the feeder thread
// reads the incident (and the message) once, then gives each listener what that caller may see:
// an `incident` event when they may read the incident (customer identifiers masked as for
// them), a `message` event unless it is an internal note they may not see, and `notification`
// events for their own in-app notifications. `: ping` every 15 s.
//
// A listener's credentials are checked again with each ping and at once when RecheckUser names
// its user (an admin's change, a logout, a password change, a revoked token): one that ended
// (session over, token revoked, user disabled) closes the stream; a changed role or group takes
// effect for the next event. So a stream never shows more than its caller may now see, also
// after `vigil user disable` from the command line (within one ping).
//
// Bounded like the console's stream (stream_hub.h): at most `max_listeners` open (Open answers
// nullptr beyond); each holds one HTTP worker, and the server's pool has room for them beside
// the ordinary workers (api_server.cc), so open desk pages never take ingestion's threads. A
// listener whose client does not read (more than 1 MB waiting) is closed; a queue of more than
// 10,000 undelivered service events drops the oldest (the pages re-read after a reconnect).
//
// Thread safety: every public method may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "desk/incidents.h"

namespace vigil::http {

class DeskStreamHub {
 public:
  struct Listener;

  DeskStreamHub(desk::IncidentService* incidents, int max_listeners,
                std::chrono::milliseconds ping = std::chrono::seconds(15));
  ~DeskStreamHub();

  // Registers with the service and starts the feeder thread.
  void Start();
  void Stop();

  // The caller now, or nullopt when their credentials ended (auth.h's Reauthenticate).
  using Recheck = std::function<std::optional<desk::Principal>()>;
  std::shared_ptr<Listener> Open(desk::Principal who, Recheck recheck = nullptr);
  // Checks the listeners of this user again (on the feeder thread, soon).
  void RecheckUser(int64_t user_id);
  // Waits for something to send to `l`; false once it is closed.
  bool Next(Listener& l, std::string* out);
  void Close(const std::shared_ptr<Listener>& l);
  int listeners() const;

 private:
  struct UserRecheck {
    int64_t user_id = 0;  // 0: every listener (the ping)
  };
  using Item = std::variant<desk::DeskEvent, std::vector<store::DeskNotificationRow>, UserRecheck>;
  void Loop();
  void Feed(const desk::DeskEvent& e, const std::vector<std::shared_ptr<Listener>>& all);
  void Feed(const std::vector<store::DeskNotificationRow>& rows,
            const std::vector<std::shared_ptr<Listener>>& all);
  void Feed(const UserRecheck& r, const std::vector<std::shared_ptr<Listener>>& all);
  static void Deliver(Listener& l, const std::string& text);

  desk::IncidentService* const incidents_;
  const int max_listeners_;
  const std::chrono::milliseconds ping_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool started_ = false, stopping_ = false;
  std::deque<Item> queue_;
  std::vector<std::shared_ptr<Listener>> listeners_;
  std::thread thread_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // the service's listeners check it
};

}  // namespace vigil::http
