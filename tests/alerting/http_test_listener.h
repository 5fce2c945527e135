// An HTTP listener for tests (cpp-httplib) on 127.0.0.1 with a port of its own choosing: it
// records every POST and answers with a configurable status and body, or hangs (holds the
// request without answering) until told to stop hanging or destroyed.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vigil::testing_http {

class HttpTestListener {
 public:
  struct Request {
    std::string path;
    std::map<std::string, std::string> params;  // query parameters, decoded
    std::multimap<std::string, std::string> headers;
    std::string body;
    std::string Header(const std::string& name) const {
      auto it = headers.find(name);
      return it == headers.end() ? "" : it->second;
    }
  };

  HttpTestListener() {
    server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      Handle(req, res);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("HttpTestListener: cannot listen on 127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }

  ~HttpTestListener() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closing_ = true;
    }
    changed_.notify_all();
    server_.stop();
    thread_.join();
  }

  int port() const { return port_; }
  std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  void Answer(int status, std::string body) {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = status;
    body_ = std::move(body);
  }
  void Hang(bool hang) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      hang_ = hang;
    }
    changed_.notify_all();
  }

  std::vector<Request> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  bool WaitForRequests(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    std::unique_lock<std::mutex> lock(mu_);
    return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
  }

 private:
  void Handle(const httplib::Request& req, httplib::Response& res) {
    std::unique_lock<std::mutex> lock(mu_);
    Request r{req.path, {}, {}, req.body};
    for (const auto& [k, v] : req.params) r.params[k] = v;
    for (const auto& [k, v] : req.headers) r.headers.emplace(k, v);
    requests_.push_back(std::move(r));
    changed_.notify_all();
    changed_.wait(lock, [&] { return !hang_ || closing_; });
    res.status = status_;
    res.set_content(body_, "application/json");
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<Request> requests_;
  int status_ = 200;
  std::string body_ = R"({"errcode":0,"errmsg":"ok"})";
  bool hang_ = false;
  bool closing_ = false;
};

}  // namespace vigil::testing_http
