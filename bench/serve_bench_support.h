// Helpers of bench/serve_bench.cc: `vigil serve` as a child process (started like
// tests/serve/server_process.h, with a test clock), its CPU time from /proc, and request bodies
// cut from simulated traffic with their record times moved to where the benchmark wants them.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "fmt/format.h"

namespace vigil::bench {

using Steady = std::chrono::steady_clock;
using TimeMs = int64_t;

// A benchmark's main(): `main_fn`'s result, or 1 after printing what went wrong after `name`.
inline int RunBenchMain(const char* name, int (*main_fn)(int, char**), int argc, char** argv) {
  try {
    return main_fn(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << name << ": " << e.what() << "\n";
    return 1;
  }
}

inline double SecondsSince(Steady::time_point t) {
  return std::chrono::duration<double>(Steady::now() - t).count();
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline constexpr const char* kIngestToken = "bench-ingest";
inline constexpr const char* kApiToken = "bench-api";

// utime + stime of a /proc/.../stat file, in seconds (0 when it is gone).
inline double StatCpuSeconds(const std::string& path) {
  const std::string stat = ReadFile(path);
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return 0;
  // Fields after the command name (which may hold spaces) start after the last ')'.
  std::istringstream rest(stat.substr(paren + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// `vigil serve` on 127.0.0.1 with a port of its choosing, data in `dir`/data, log in
// `dir`/server.log. Stop() is SIGTERM (the server drains its queue) and wait.
class ServeProcess {
 public:
  ServeProcess(std::string vigil, std::string dir) : vigil_(std::move(vigil)), dir_(std::move(dir)) {}
  ~ServeProcess() { Stop(); }

  // Starts the server and waits until it listens; throws with the log when it does not.
  void Start(const std::string& config, const std::string& fake_clock,
             const std::vector<std::string>& extra = {}) {
    std::filesystem::create_directories(dir_);
    const std::string port_file = dir_ + "/port";
    std::filesystem::remove(port_file);
    std::vector<std::string> args = {vigil_, "serve", "--config", config, "--listen", "127.0.0.1:0",
                                     "--port-file", port_file, "--data", dir_ + "/data",
                                     "--ingest-token", kIngestToken, "--api-token", kApiToken,
                                     "--fake-clock", fake_clock};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string log = dir_ + "/server.log";
      int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(fd, 2);
      int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 1);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      _exit(127);
    }
    // Loading a 2,000-code configuration takes a few seconds on a loaded machine.
    for (int i = 0; i < 2400; ++i) {
      std::ifstream in(port_file);
      if (in >> port_) return;
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("vigil serve exited at start; log:\n" + Log());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("vigil serve did not start listening; log:\n" + Log());
  }

  int Stop() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  // User + system CPU seconds the server has used so far (all its threads).
  double CpuSeconds() const { return StatCpuSeconds("/proc/" + std::to_string(pid_) + "/stat"); }
  // The same per thread, by thread id.
  std::map<int, double> ThreadCpuSeconds() const {
    std::map<int, double> out;
    const std::string dir = "/proc/" + std::to_string(pid_) + "/task";
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
      out[std::stoi(e.path().filename().string())] = StatCpuSeconds(e.path().string() + "/stat");
    }
    return out;
  }

  std::string Log() const { return ReadFile(dir_ + "/server.log"); }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }

 private:
  std::string vigil_;
  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// RFC 3339 with milliseconds at a fixed UTC offset, the form the simulator writes.
inline std::string FormatTs(TimeMs t, int offset_minutes) {
  const TimeMs local = t + offset_minutes * 60'000LL;
  const time_t secs = static_cast<time_t>(local >= 0 ? local / 1000 : (local - 999) / 1000);
  const int ms = static_cast<int>(local - secs * 1000LL);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  const int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}{}{:02d}:{:02d}", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms,
                     offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
}

// The UTC offset of an RFC 3339 time ("...+08:00" or "...Z"), in minutes.
inline int OffsetMinutes(std::string_view ts) {
  if (ts.empty() || ts.back() == 'Z' || ts.size() < 6) return 0;
  std::string_view o = ts.substr(ts.size() - 6);
  const int minutes = std::stoi(std::string(o.substr(1, 2))) * 60 + std::stoi(std::string(o.substr(4, 2)));
  return o[0] == '-' ? -minutes : minutes;
}

// Appends `line` (one JSON object) to `out` with its "ts" value replaced by `t`, written in the
// line's own UTC offset. False when the line has no "ts" string.
inline bool AppendRestamped(std::string_view line, TimeMs t, std::string* out) {
  constexpr std::string_view kKey = "\"ts\":\"";
  const size_t at = line.find(kKey);
  if (at == std::string_view::npos) return false;
  const size_t from = at + kKey.size();
  const size_t to = line.find('"', from);
  if (to == std::string_view::npos) return false;
  out->append(line.substr(0, from));
  out->append(FormatTs(t, OffsetMinutes(line.substr(from, to - from))));
  out->append(line.substr(to));
  out->push_back('\n');
  return true;
}

// gzip (RFC 1952) at `level`, as a producer's HTTP client would send it.
inline std::string Gzip(std::string_view raw, int level) {
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&z, raw.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

}  // namespace vigil::bench
