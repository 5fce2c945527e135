// Who is asking: the user behind a request, with the authority it carries. A request through
// an API token carries the token's role (no higher than the user's), not the user's own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "desk/roles.h"

namespace vigil::desk {

struct Principal {
  int64_t user_id = 0;
  std::string name;
  Role role = Role::kReporter;
  std::vector<std::string> groups;  // sorted
  bool must_change_password = false;
  enum class Via { kSession, kApiToken, kCli } via = Via::kSession;
  int64_t api_token_id = 0;   // with kApiToken
  std::string session_hash;   // with kSession: the store key of the session in use
  std::string csrf_token;     // with kSession
};

}  // namespace vigil::desk
