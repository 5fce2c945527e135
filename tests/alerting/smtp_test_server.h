// A small ESMTP server for tests, listening on 127.0.0.1 on a port of its own choosing. It
// speaks enough of the protocol for a real client (libcurl): EHLO/HELO, AUTH PLAIN (with or
// without an initial response), MAIL, RCPT, DATA (dot-unstuffed), RSET, NOOP, QUIT; and records
// every message it accepts. It can be told to refuse messages at the end of DATA (451) to test
// retries. One connection at a time, which is all a test needs.
//
// Reusable: header-only, no dependency but POSIX sockets and libsodium (base64).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sodium.h"

namespace vigil::testing_smtp {

class SmtpTestServer {
 public:
  struct Message {
    std::string mail_from;
    std::vector<std::string> rcpt_to;
    std::string data;  // headers and body as received, CRLF line ends, dot-unstuffing undone
    std::string auth_user, auth_password;  // empty without AUTH
  };

  SmtpTestServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 16) != 0) {
      throw std::runtime_error("SmtpTestServer: cannot listen on 127.0.0.1");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }

  ~SmtpTestServer() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
  }

  int port() const { return port_; }
  std::string hostport() const { return "127.0.0.1:" + std::to_string(port_); }

  // While set, DATA is answered with this code (e.g. 451) and the message is dropped.
  void RefuseData(int code) { refuse_code_ = code; }

  std::vector<Message> messages() const {
    std::lock_guard<std::mutex> lock(mu_);
    return messages_;
  }

  // Waits until at least `n` messages were accepted.
  bool WaitForMessages(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    std::unique_lock<std::mutex> lock(mu_);
    return arrived_.wait_for(lock, timeout, [&] { return messages_.size() >= n; });
  }

 private:
  // Line-oriented reading from one connection, giving up after a quiet 10s or on stop.
  class Conn {
   public:
    Conn(int fd, const std::atomic<bool>* stop) : fd_(fd), stop_(stop) {}
    ~Conn() { ::close(fd_); }
    std::optional<std::string> ReadLine() {
      for (int waited_ms = 0; waited_ms < 10'000 && !*stop_;) {
        size_t eol = buf_.find("\r\n");
        if (eol != std::string::npos) {
          std::string line = buf_.substr(0, eol);
          buf_.erase(0, eol + 2);
          return line;
        }
        pollfd p{fd_, POLLIN, 0};
        int r = ::poll(&p, 1, 100);
        if (r == 0) {
          waited_ms += 100;
          continue;
        }
        char chunk[4096];
        ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) return std::nullopt;
        buf_.append(chunk, static_cast<size_t>(n));
      }
      return std::nullopt;
    }
    void Send(const std::string& s) { (void)!::send(fd_, s.data(), s.size(), MSG_NOSIGNAL); }

   private:
    int fd_;
    const std::atomic<bool>* stop_;
    std::string buf_;
  };

  static std::string Upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }

  // The address inside <...> of "MAIL FROM:<a@b> SIZE=12".
  static std::string Address(const std::string& line) {
    size_t open = line.find('<'), close = line.find('>');
    return open == std::string::npos || close == std::string::npos
               ? std::string()
               : line.substr(open + 1, close - open - 1);
  }

  static std::string DecodeBase64(const std::string& b64) {
    std::string out(b64.size(), '\0');
    size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(),
                          b64.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
      return "";
    }
    out.resize(len);
    return out;
  }

  void Serve() {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd >= 0) Handle(fd);
    }
  }

  void Auth(Conn& c, const std::string& line, Message* m) {
    std::string initial = line.size() > 10 ? line.substr(11) : "";
    if (initial.empty()) {
      c.Send("334 \r\n");
      initial = c.ReadLine().value_or("");
    }
    std::string plain = DecodeBase64(initial);  // authzid \0 user \0 password
    size_t a = plain.find('\0'), b = plain.find('\0', a + 1);
    if (a == std::string::npos || b == std::string::npos) {
      c.Send("535 5.7.8 Authentication credentials invalid\r\n");
      return;
    }
    m->auth_user = plain.substr(a + 1, b - a - 1);
    m->auth_password = plain.substr(b + 1);
    c.Send("235 2.7.0 Authentication successful\r\n");
  }

  void Data(Conn& c, Message* m) {
    c.Send("354 End data with <CR><LF>.<CR><LF>\r\n");
    std::string data;
    for (;;) {
      std::optional<std::string> line = c.ReadLine();
      if (!line) return;
      if (*line == ".") break;
      data += (line->starts_with("..") ? line->substr(1) : *line) + "\r\n";
    }
    if (int code = refuse_code_.load(); code != 0) {
      c.Send(std::to_string(code) + " 4.3.0 try again later\r\n");
      return;
    }
    m->data = std::move(data);
    {
      std::lock_guard<std::mutex> lock(mu_);
      messages_.push_back(*m);
    }
    arrived_.notify_all();
    c.Send("250 2.0.0 OK queued\r\n");
  }

  void Handle(int fd) {
    Conn c(fd, &stop_);
    c.Send("220 vigil-test ESMTP\r\n");
    Message m;
    while (std::optional<std::string> line = c.ReadLine()) {
      const std::string cmd = Upper(line->substr(0, 4));
      if (cmd == "EHLO") {
        c.Send("250-vigil-test\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n");
      } else if (cmd == "HELO") {
        c.Send("250 vigil-test\r\n");
      } else if (cmd == "AUTH") {
        Auth(c, *line, &m);
      } else if (cmd == "MAIL") {
        std::string user = m.auth_user, password = m.auth_password;
        m = Message{Address(*line), {}, "", user, password};
        c.Send("250 2.1.0 OK\r\n");
      } else if (cmd == "RCPT") {
        m.rcpt_to.push_back(Address(*line));
        c.Send("250 2.1.5 OK\r\n");
      } else if (cmd == "DATA") {
        Data(c, &m);
      } else if (cmd == "RSET" || cmd == "NOOP") {
        c.Send("250 2.0.0 OK\r\n");
      } else if (cmd == "QUIT") {
        c.Send("221 2.0.0 Bye\r\n");
        return;
      } else {
        c.Send("502 5.5.2 not implemented\r\n");
      }
    }
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> refuse_code_{0};
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable arrived_;
  std::vector<Message> messages_;
};

// --- reading what arrived

inline std::string Unbase64(std::string b64) {
  std::erase_if(b64, [](char c) { return c == '\r' || c == '\n'; });
  std::string out(b64.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                              b64.data(), b64.size(), nullptr, &len, nullptr,
                              sodium_base64_VARIANT_ORIGINAL) != 0) {
    return "<not base64>";
  }
  out.resize(len);
  return out;
}

// The Subject header of `data`, unfolded, with RFC 2047 base64 words decoded.
inline std::string MailSubject(const std::string& data) {
  size_t at = data.find("\r\nSubject: ");
  if (at == std::string::npos) return "";
  size_t end = data.find("\r\n", at + 2);
  while (end + 2 < data.size() && (data[end + 2] == ' ' || data[end + 2] == '\t')) {
    end = data.find("\r\n", end + 2);
  }
  std::string raw = data.substr(at + 11, end - at - 11);
  static const std::regex kWord(R"(=\?UTF-8\?B\?([^?]*)\?=\s*)", std::regex::icase);
  std::string out;
  std::smatch m;
  while (std::regex_search(raw, m, kWord)) {
    out += m.prefix().str() + Unbase64(m[1].str());
    raw = m.suffix().str();
  }
  return out + raw;
}

// The decoded content of the MIME part of `type` ("text/plain").
inline std::string MailPart(const std::string& data, const std::string& type) {
  size_t at = data.find("Content-Type: " + type);
  if (at == std::string::npos) return "";
  size_t start = data.find("\r\n\r\n", at) + 4;
  size_t end = data.find("\r\n--", start);
  if (data.substr(at, start - at).find("Content-Transfer-Encoding: base64") == std::string::npos) {
    return "<not base64>";
  }
  return Unbase64(data.substr(start, end - start));
}

}  // namespace vigil::testing_smtp
