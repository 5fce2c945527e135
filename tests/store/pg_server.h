// A real, throwaway PostgreSQL server for tests: initdb'd data in a fresh temporary directory
// (on /dev/shm when it is a tmpfs with room, see ScratchRoot), `postgres` on a free loopback
// port with its unix socket in that directory, all removed again by the destructor. Any module's tests can use it: include this header (it is header-only
// because tests/CMakeLists.txt builds test binaries from *_test.cc files alone) and link
// libpq (vigil_store brings it).
//
// Speed, since ctest runs every TEST in a process of its own:
// - initdb runs once per machine, not per process: its output is kept as a template directory
//   (/tmp/vigil-pg-template-<bindir>-<uid>, made under a temporary name and renamed into place,
//   so concurrent first runs never see half of one) and each server starts from a copy
//   (~25 MB with 1 MB WAL segments: a fraction of initdb's 1-3 s).
// - fsync, synchronous_commit and full_page_writes are off: nothing here needs to survive a
//   power cut.
// A server is started lazily (PgTestEnvironment), so tests that never touch PostgreSQL pay
// nothing.
//
// Running as root (initdb and postgres refuse to): the directory is chowned to the `postgres`
// system user and the tools run as that user. The server is spawned directly (fork, drop to
// `postgres`, exec) rather than through runuser or pg_ctl, so it is our child and gets
// PR_SET_PDEATHSIG: a test process that crashes or is killed takes its server with it.
//
// Binaries: $VIGIL_PG_BINDIR, else the newest /usr/lib/postgresql/<N>/bin, else $PATH. When
// none has initdb and postgres, Start() fails saying to install postgresql-15.
//
// Thread safety: none; one test thread drives it.
#pragma once

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace vigil::testing {
namespace pg_detail {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Who the PostgreSQL tools run as: ourselves, or `postgres` when we are root.
struct RunAs {
  bool drop = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

inline absl::StatusOr<RunAs> ToolUser() {
  if (geteuid() != 0) return RunAs{};
  struct passwd* pw = getpwnam("postgres");
  if (pw == nullptr) {
    return absl::FailedPreconditionError(
        "running as root, PostgreSQL tests need the 'postgres' system user (it comes with the "
        "postgresql-15 package: scripts/install-deps.sh)");
  }
  return RunAs{true, pw->pw_uid, pw->pw_gid};
}

inline bool HasServerTools(const fs::path& dir) {
  return fs::exists(dir / "initdb") && fs::exists(dir / "postgres");
}

inline absl::StatusOr<fs::path> FindBinDir() {
  if (const char* env = std::getenv("VIGIL_PG_BINDIR"); env && *env) {
    if (HasServerTools(env)) return fs::path(env);
    return absl::FailedPreconditionError(
        std::string("VIGIL_PG_BINDIR=") + env +
        " has no initdb and postgres: point it at PostgreSQL's bin directory, or unset it and "
        "install postgresql-15 (scripts/install-deps.sh)");
  }
  std::error_code ec;
  int best = -1;
  fs::path found;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    int major = std::atoi(entry.path().filename().c_str());
    if (major > best && HasServerTools(entry.path() / "bin")) {
      best = major;
      found = entry.path() / "bin";
    }
  }
  if (best >= 0) return found;
  if (const char* path = std::getenv("PATH")) {
    std::stringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');) {
      if (!dir.empty() && HasServerTools(dir)) return fs::path(dir);
    }
  }
  return absl::FailedPreconditionError(
      "PostgreSQL server binaries (initdb, postgres) not found in $VIGIL_PG_BINDIR, "
      "/usr/lib/postgresql/*/bin or $PATH: install postgresql-15 (scripts/install-deps.sh); "
      "the PostgreSQL store tests need a real server");
}

inline std::string Tail(const fs::path& log, size_t bytes = 2000) {
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

// Starts argv[0] (a full path) with stdout and stderr appended to `log`, as `as`. With
// `die_with_parent` the child is killed (SIGQUIT: postgres's immediate shutdown) when this
// thread exits. Only async-signal-safe calls between fork and exec.
inline absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& args, const RunAs& as,
                                   const fs::path& log, bool die_with_parent) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (out < 0) return absl::InternalError("cannot open " + log.string() + ": " + strerror(errno));
  int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in, 0);
    dup2(out, 1);
    dup2(out, 2);
    if (as.drop && (setgroups(1, &as.gid) != 0 || setgid(as.gid) != 0 || setuid(as.uid) != 0)) {
      _exit(126);
    }
    // After setuid: a credential change clears the parent-death signal.
    if (die_with_parent && (prctl(PR_SET_PDEATHSIG, SIGQUIT) != 0 || getppid() != parent)) {
      _exit(125);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out);
  close(in);
  if (pid < 0) return absl::InternalError(std::string("fork: ") + strerror(errno));
  return pid;
}

// Runs a tool to completion; an error carries the end of its log.
inline absl::Status Run(const std::vector<std::string>& args, const RunAs& as,
                        const fs::path& log) {
  absl::StatusOr<pid_t> pid = Spawn(args, as, log, /*die_with_parent=*/true);
  if (!pid.ok()) return pid.status();
  int status = 0;
  while (waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  return absl::InternalError(args[0] + " failed (status " + std::to_string(status) + "): " +
                             Tail(log));
}

// Where servers keep their data: /dev/shm when it is a roomy tmpfs (copying the template and
// running the server there costs no disk writes, which matters on a busy build machine), else
// the temporary directory.
inline fs::path ScratchRoot() {
  struct statvfs st{};
  if (statvfs("/dev/shm", &st) == 0 && access("/dev/shm", W_OK) == 0 &&
      static_cast<uint64_t>(st.f_bavail) * st.f_frsize >= (uint64_t{512} << 20)) {
    return "/dev/shm";
  }
  return fs::temp_directory_path();
}

inline absl::StatusOr<fs::path> MakeTempDir(const fs::path& root, const char* pattern,
                                            const RunAs& as) {
  std::string path = (root / pattern).string();
  if (mkdtemp(path.data()) == nullptr) {
    return absl::InternalError(std::string("mkdtemp: ") + strerror(errno));
  }
  if (as.drop && chown(path.c_str(), as.uid, as.gid) != 0) {
    return absl::InternalError("chown " + path + ": " + strerror(errno));
  }
  return fs::path(path);
}

// The initdb'd data directory every server copies (see the header comment).
inline absl::StatusOr<fs::path> EnsureTemplate(const fs::path& bin, const RunAs& as) {
  std::string key = bin.string();
  for (char& c : key) {
    if (c == '/') c = '_';
  }
  fs::path tmpl = fs::temp_directory_path() /
                  ("vigil-pg-template" + key + "-w1-" + std::to_string(geteuid()));
  if (fs::exists(tmpl / "PG_VERSION")) return tmpl;
  absl::StatusOr<fs::path> work = MakeTempDir(fs::temp_directory_path(), "vigil-pg-init-XXXXXX", as);
  if (!work.ok()) return work.status();
  absl::Status s = Run({(bin / "initdb").string(), "-D", (*work / "data").string(), "-U",
                        "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "-N",
                        "--wal-segsize=1"},
                       as, *work / "initdb.log");
  std::error_code ec;
  if (s.ok() && rename((*work / "data").c_str(), tmpl.c_str()) != 0 && errno != EEXIST &&
      errno != ENOTEMPTY) {
    s = absl::InternalError("rename to " + tmpl.string() + ": " + strerror(errno));
  }
  fs::remove_all(*work, ec);  // a template another process renamed first leaves ours here
  if (!s.ok()) return s;
  return tmpl;
}

// A port that was free a moment ago; the server start retries when it is taken meanwhile.
inline absl::StatusOr<int> FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) close(fd);
    return absl::InternalError(std::string("cannot bind a loopback port: ") + strerror(errno));
  }
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace pg_detail

class PgTestServer {
 public:
  PgTestServer() = default;
  PgTestServer(const PgTestServer&) = delete;
  PgTestServer& operator=(const PgTestServer&) = delete;
  ~PgTestServer() { Stop(); }

  // Starts the server (the first call; later calls return the same URL): the URL of its
  // `postgres` database, as superuser `postgres` with no password.
  absl::StatusOr<std::string> Start() {
    if (!url_.empty()) return url_;
    auto bin = pg_detail::FindBinDir();
    if (!bin.ok()) return bin.status();
    auto as = pg_detail::ToolUser();
    if (!as.ok()) return as.status();
    auto tmpl = pg_detail::EnsureTemplate(*bin, *as);
    if (!tmpl.ok()) return tmpl.status();
    auto dir = pg_detail::MakeTempDir(pg_detail::ScratchRoot(), "vigil-pg-XXXXXX", *as);
    if (!dir.ok()) return dir.status();
    dir_ = *dir;
    absl::Status copied =
        pg_detail::Run({"/bin/cp", "-a", tmpl->string(), (dir_ / "data").string()}, *as,
                       dir_ / "cp.log");
    if (!copied.ok()) return copied;
    absl::Status s;
    for (int attempt = 0; attempt < 5; ++attempt) {
      s = Launch(*bin, *as);
      if (s.ok() || !absl::IsUnavailable(s)) break;  // Unavailable: the port was taken
    }
    if (!s.ok()) return s;
    url_ = Url("postgres");
    return url_;
  }

  // Creates an empty database (a plain identifier) and returns its URL.
  absl::StatusOr<std::string> CreateDatabase(const std::string& name) {
    auto base = Start();
    if (!base.ok()) return base.status();
    absl::Status s = Exec(*base, "CREATE DATABASE \"" + name + "\"");
    if (!s.ok()) return s;
    return Url(name);
  }

  // Runs parameterless SQL on the database of `url` (test set-up: tampering, inspection).
  static absl::Status Exec(const std::string& url, const std::string& sql) {
    PGconn* c = PQconnectdb(url.c_str());
    absl::Status s;
    if (PQstatus(c) != CONNECTION_OK) {
      s = absl::UnavailableError("connect " + url + ": " + PQerrorMessage(c));
    } else {
      PGresult* r = PQexec(c, sql.c_str());
      ExecStatusType st = PQresultStatus(r);
      if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        s = absl::InternalError(sql + ": " + PQresultErrorMessage(r));
      }
      PQclear(r);
    }
    PQfinish(c);
    return s;
  }

  // The first column of the first row of `sql` on `url`'s database, as text ("" for none).
  static absl::StatusOr<std::string> QueryValue(const std::string& url, const std::string& sql) {
    PGconn* c = PQconnectdb(url.c_str());
    absl::StatusOr<std::string> out = std::string();
    if (PQstatus(c) != CONNECTION_OK) {
      out = absl::UnavailableError("connect " + url + ": " + PQerrorMessage(c));
    } else {
      PGresult* r = PQexec(c, sql.c_str());
      if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        out = absl::InternalError(sql + ": " + PQresultErrorMessage(r));
      } else if (PQntuples(r) > 0 && PQnfields(r) > 0) {
        out = std::string(PQgetvalue(r, 0, 0));
      }
      PQclear(r);
    }
    PQfinish(c);
    return out;
  }

  int port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_; }

  // Fast shutdown, then the directory goes. Safe to call twice.
  void Stop() {
    if (pid_ > 0) {
      kill(pid_, SIGINT);
      if (!Reap(std::chrono::seconds(30))) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
      }
      pid_ = -1;
    }
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
      dir_.clear();
    }
    url_.clear();
  }

 private:
  std::string Url(const std::string& db) const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + db;
  }

  // True once the server process has exited (and been reaped) within `wait`.
  bool Reap(std::chrono::milliseconds wait) {
    auto deadline = pg_detail::Clock::now() + wait;
    do {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } while (pg_detail::Clock::now() < deadline);
    return false;
  }

  // Starts postgres on a fresh port and polls it (PQping: what pg_isready does) until it
  // accepts connections. Unavailable when the port turned out to be taken.
  absl::Status Launch(const std::filesystem::path& bin, const pg_detail::RunAs& as) {
    auto port = pg_detail::FreeLoopbackPort();
    if (!port.ok()) return port.status();
    port_ = *port;
    std::filesystem::path log = dir_ / "postgres.log";
    auto pid = pg_detail::Spawn(
        {(bin / "postgres").string(), "-D", (dir_ / "data").string(), "-p", std::to_string(port_),
         "-k", dir_.string(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c",
         "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "shared_buffers=16MB",
         "-c", "max_connections=40"},
        as, log, /*die_with_parent=*/true);
    if (!pid.ok()) return pid.status();
    pid_ = *pid;
    std::string ping = "host=127.0.0.1 port=" + std::to_string(port_) +
                       " dbname=postgres user=postgres connect_timeout=5";
    auto deadline = pg_detail::Clock::now() + std::chrono::seconds(60);
    while (pg_detail::Clock::now() < deadline) {
      if (PQping(ping.c_str()) == PQPING_OK) return absl::OkStatus();
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        std::string tail = pg_detail::Tail(log);
        if (tail.find("ddress already in use") != std::string::npos) {
          return absl::UnavailableError("port " + std::to_string(port_) + " taken: " + tail);
        }
        return absl::InternalError("postgres exited at start: " + tail);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return absl::DeadlineExceededError("postgres not ready within 60 s: " + pg_detail::Tail(log));
  }

  std::filesystem::path dir_;
  std::string url_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// The server of this test process: started by the first test that asks, stopped when the
// tests end. Register it once per test binary:
//   static auto* const kPg = ::testing::AddGlobalTestEnvironment(new vigil::testing::PgTestEnvironment);
// and get a fresh database per test with PgTestEnvironment::NewDatabase().
class PgTestEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { Server().Stop(); }

  static PgTestServer& Server() {
    static PgTestServer* server = new PgTestServer;  // outlives every test; Stop() cleans up
    return *server;
  }

  // A new empty database t_<n> on the shared server; its URL.
  static absl::StatusOr<std::string> NewDatabase() {
    static int next = 0;
    return Server().CreateDatabase("t_" + std::to_string(++next));
  }
};

}  // namespace vigil::testing
