// HTTP over a plain loopback socket, for what httplib's client hides: request targets sent
// byte for byte (path traversal attempts), and server-sent event streams read as they come,
// closed whenever the test wants.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"

namespace vigil::testing {

class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) Close();
  }
  ~RawConnection() { Close(); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool Send(const std::string& text) {
    return fd_ >= 0 && ::send(fd_, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size());
  }
  // Reads what arrives until `done(data())` holds, the peer closes, or `timeout` passes.
  bool ReadUntil(const std::function<bool(const std::string&)>& done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done(data_)) {
      if (eof_ || fd_ < 0) return false;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[16384];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        eof_ = true;
      } else {
        data_.append(buf, static_cast<size_t>(n));
      }
    }
    return true;
  }
  // True when the peer closed the connection within `timeout`.
  bool WaitForEof(std::chrono::milliseconds timeout) {
    ReadUntil([this](const std::string&) { return eof_; }, timeout);
    return eof_;
  }
  const std::string& data() const { return data_; }
  bool eof() const { return eof_; }

 private:
  int fd_ = -1;
  bool eof_ = false;
  std::string data_;
};

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

// Status line and headers of `data`, when they are complete; `*body_at` where the body starts.
inline std::optional<RawResponse> ParseHead(const std::string& data, size_t* body_at) {
  const size_t end = data.find("\r\n\r\n");
  if (end == std::string::npos) return std::nullopt;
  RawResponse r;
  const size_t space = data.find(' ');
  r.status = std::atoi(data.c_str() + space + 1);
  size_t at = data.find("\r\n") + 2;
  while (at < end) {
    const size_t eol = data.find("\r\n", at);
    const std::string line = data.substr(at, eol - at);
    const size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    at = eol + 2;
  }
  *body_at = end + 4;
  return r;
}

// Decodes the complete chunks of a chunked body from `*at` on, appending them to `out`.
inline void Dechunk(const std::string& data, size_t* at, std::string* out) {
  while (true) {
    const size_t eol = data.find("\r\n", *at);
    if (eol == std::string::npos) return;
    const size_t size = std::strtoul(data.c_str() + *at, nullptr, 16);
    if (data.size() < eol + 2 + size + 2) return;
    out->append(data, eol + 2, size);
    *at = eol + 2 + size + 2;
    if (size == 0) return;
  }
}

// GET `target` exactly as given, Connection: close; the whole answer.
inline RawResponse RawGet(int port, const std::string& target, const std::string& extra_headers = "") {
  RawConnection c(port);
  c.Send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra_headers + "\r\n");
  c.WaitForEof(std::chrono::seconds(30));
  size_t body_at = 0;
  auto r = ParseHead(c.data(), &body_at);
  if (!r) return RawResponse{};
  if (r->Header("transfer-encoding") == "chunked") {
    Dechunk(c.data(), &body_at, &r->body);
  } else {
    r->body = c.data().substr(body_at);
  }
  return *r;
}

// One GET /api/v1/stream connection, read event by event.
class SseStream {
 public:
  struct Event {
    std::string name;  // empty for a comment
    std::string data;
  };

  SseStream(int port, const std::string& query) : c_(port) {
    c_.Send("GET /api/v1/stream?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n");
  }
  // The answer's status (0 when none came).
  const RawResponse& Head() {
    c_.ReadUntil([this](const std::string& d) { return Parse(d), head_.has_value(); }, std::chrono::seconds(30));
    static const RawResponse kNone;
    return head_ ? *head_ : kNone;
  }
  // The next event named `name` whose JSON data satisfies `accept`, skipping others.
  std::optional<nlohmann::json> WaitFor(const std::string& name,
                                        const std::function<bool(const nlohmann::json&)>& accept = nullptr,
                                        std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    std::optional<nlohmann::json> found;
    c_.ReadUntil(
        [&](const std::string& d) {
          Parse(d);
          for (; next_ < events_.size() && !found; ++next_) {
            if (events_[next_].name != name) continue;
            auto j = nlohmann::json::parse(events_[next_].data, nullptr, false);
            if (!j.is_discarded() && (!accept || accept(j))) found = std::move(j);
          }
          return found.has_value();
        },
        timeout);
    return found;
  }
  bool WaitForEof(std::chrono::milliseconds timeout) { return c_.WaitForEof(timeout); }
  void Close() { c_.Close(); }
  const std::vector<Event>& events() const { return events_; }

 private:
  void Parse(const std::string& data) {
    if (!head_) {
      head_ = ParseHead(data, &at_);
      if (!head_) return;
    }
    Dechunk(data, &at_, &text_);
    size_t end;
    while ((end = text_.find("\n\n", parsed_)) != std::string::npos) {
      Event e;
      size_t at = parsed_;
      while (at < end) {
        const size_t eol = text_.find('\n', at);
        const std::string line = text_.substr(at, std::min(eol, end) - at);
        if (line.rfind("event: ", 0) == 0) e.name = line.substr(7);
        if (line.rfind("data: ", 0) == 0) e.data += line.substr(6);
        at = std::min(eol, end) + 1;
      }
      events_.push_back(std::move(e));
      parsed_ = end + 2;
    }
  }

  RawConnection c_;
  std::optional<RawResponse> head_;
  size_t at_ = 0;      // next chunk in the raw data
  std::string text_;   // the body so far
  size_t parsed_ = 0;  // events parsed up to here in text_
  std::vector<Event> events_;
  size_t next_ = 0;  // first event WaitFor has not looked at
};

}  // namespace vigil::testing
