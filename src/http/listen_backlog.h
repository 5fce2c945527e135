// The listening socket's backlog. Debian's cpp-httplib (0.11, a compiled library) listens with a
// backlog of 5: when more clients connect at once than that (every production system
// reconnecting after a restart, 200 desk pages opened at nine), the kernel drops their SYNs and
// each waits 1, 3, 7 ... seconds for its retry; under a long burst some give up. Calling
// listen() again on the bound socket raises the backlog (Linux keeps the socket and its queue).
#pragma once

namespace vigil::http {

// Raises to `backlog` the backlog of this process's listening TCP sockets on `port`; how many
// were found. Call after httplib's bind_to_port, before or while it accepts.
int RaiseListenBacklog(int port, int backlog);

}  // namespace vigil::http
