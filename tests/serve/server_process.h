// Runs the real `vigil serve` binary as a child process on a loopback port of its choosing,
// with a test clock (--fake-clock) so minutes pass when the test says so, and talks to it over
// HTTP. Kill() is kill -9; Start() again on the same data directory is a restart.
#pragma once

#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "httplib.h"
#include "nlohmann/json.hpp"

namespace vigil::testing {

class ServerProcess {
 public:
  ServerProcess(std::string dir, std::string config_yaml, std::string fake_clock)
      : dir_(std::move(dir)), fake_clock_(std::move(fake_clock)) {
    std::filesystem::create_directories(dir_);
    WriteConfig(config_yaml);
  }
  ~ServerProcess() { Kill(); }

  void WriteConfig(const std::string& yaml) { std::ofstream(dir_ + "/vigil.yaml") << yaml; }

  // Starts the server and waits until it listens (the port file appears). `env`: NAME=VALUE
  // entries added to the server's environment.
  void Start(std::vector<std::string> extra = {}, std::vector<std::string> env = {}) {
    const std::string port_file = dir_ + "/port";
    std::filesystem::remove(port_file);
    std::vector<std::string> args = {VIGIL_BINARY, "serve", "--config", dir_ + "/vigil.yaml",
                                     "--listen", "127.0.0.1:0", "--port-file", port_file,
                                     "--data", dir_ + "/data", "--ingest-token", kIngestToken,
                                     "--api-token", kApiToken, "--fake-clock", fake_clock_};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      std::string log = dir_ + "/server.log";
      FILE* f = std::freopen(log.c_str(), "a", stderr);
      (void)f;
      for (std::string& e : env) ::putenv(e.data());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      _exit(127);
    }
    // The server renames its port file into place once it listens: wait for that rename
    // (inotify), waking also to notice a server that died instead.
    int watch = ::inotify_init1(IN_CLOEXEC);
    ::inotify_add_watch(watch, dir_.c_str(), IN_MOVED_TO);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      std::ifstream in(port_file);
      if (in >> port_) {
        ::close(watch);
        client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
        client_->set_read_timeout(60, 0);
        return;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        ::close(watch);
        FAIL() << "vigil serve exited at start; log:\n" << Log();
      }
      pollfd p{watch, POLLIN, 0};
      if (::poll(&p, 1, 500) > 0) {
        char events[4096];
        (void)!::read(watch, events, sizeof events);
      }
    }
    ::close(watch);
    FAIL() << "vigil serve did not start listening; log:\n" << Log();
  }

  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
    client_.reset();
  }
  // SIGTERM and wait: the exit status.
  int Stop() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    client_.reset();
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  void Signal(int sig) { ::kill(pid_, sig); }
  // Waits for the server to exit on its own (a fault hook): its exit status, -1 if signalled.
  int WaitExit() {
    if (pid_ <= 0) return -1;
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    client_.reset();
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string Log() const {
    std::ifstream in(dir_ + "/server.log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  httplib::Client& http() { return *client_; }
  int port() const { return port_; }
  const std::string& dir() const { return dir_; }

  httplib::Result PostRecords(const std::string& body, const std::string& token = kIngestToken,
                              const std::string& type = "application/x-ndjson") {
    httplib::Headers h = {{"Authorization", "Bearer " + token}};
    return client_->Post("/api/v1/records", h, body, type);
  }
  // Moves the test clock and waits until the engine has evaluated at the new time.
  void AdvanceClock(int64_t ms) {
    auto r = client_->Post("/api/v1/admin/clock", {{"Authorization", std::string("Bearer ") + kApiToken}},
                           nlohmann::json{{"advance_ms", ms}}.dump(), "application/json");
    ASSERT_TRUE(r) << "clock request failed";
    ASSERT_EQ(r->status, 200) << r->body;
  }
  nlohmann::json GetJson(const std::string& path) {
    auto r = client_->Get(path);
    EXPECT_TRUE(r) << path;
    if (!r) return nullptr;
    EXPECT_EQ(r->status, 200) << path << ": " << r->body;
    return nlohmann::json::parse(r->body, nullptr, false);
  }

  static constexpr const char* kIngestToken = "ingest-secret";
  static constexpr const char* kApiToken = "api-secret";

 private:
  std::string dir_;
  std::string fake_clock_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::unique_ptr<httplib::Client> client_;
};

// A fresh temporary directory, removed at the end.
class ScratchDir {
 public:
  ScratchDir() {
    char tmpl[] = "/tmp/vigil-serve-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace vigil::testing
