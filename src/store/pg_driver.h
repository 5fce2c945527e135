// The PostgreSQL driver (libpq): a small pool of connections, each transaction on its own
// connection. A connection found broken (the server restarted, an idle connection was cut) is
// reset and the transaction run again, once; never when it broke during COMMIT, whose outcome
// is then unknown (Unavailable is returned).
//
// Parameters go with PQexecParams, in binary with explicit types; results come back as text
// and are converted by column type.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "store/sql.h"

namespace vigil::store {

struct PgOptions {
  int max_connections = 4;
  int connect_timeout_s = 10;
};

// Connects to `url` ("postgresql://user:password@host:port/database?param=value") once, to
// report an unreachable server now; errors name the URL without its password.
absl::StatusOr<std::unique_ptr<SqlDriver>> OpenPostgres(const std::string& url,
                                                        const PgOptions& options = {});

}  // namespace vigil::store
