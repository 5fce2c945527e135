#include "http/listen_backlog.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace vigil::http {
namespace {

// The local port of a listening TCP socket `fd`, or -1 for anything else.
int ListeningPort(int fd) {
  int accepting = 0;
  socklen_t len = sizeof accepting;
  if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) != 0 || !accepting) return -1;
  sockaddr_storage addr{};
  len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return -1;
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  return -1;
}

}  // namespace

int RaiseListenBacklog(int port, int backlog) {
  // httplib keeps its socket to itself: find it among the process's descriptors.
  int raised = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    const std::string name = entry.path().filename().string();
    char* end = nullptr;
    const long fd = std::strtol(name.c_str(), &end, 10);
    if (end == name.c_str() || *end != '\0') continue;
    if (ListeningPort(static_cast<int>(fd)) == port && ::listen(static_cast<int>(fd), backlog) == 0) {
      ++raised;
    }
  }
  return raised;
}

}  // namespace vigil::http
