// The parts of bench/desk_bench (see desk_bench.cc for what it measures and how).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::bench {

struct DeskSeed {
  int64_t incidents = 0, messages = 0;
  double seconds = 0;            // 0 when the data directory was seeded by an earlier run
  std::string token;             // an admin's vgt_ API token
  std::vector<std::string> handlers, reporters;
  int64_t max_id = 0;
};

// Seeds `data_dir`/vigil.db through the store (store::IncidentStore, batched transactions):
// users, an admin token, `incidents` incidents with `per_incident` messages each. A directory
// seeded before with the same counts is reused (its token is kept in `data_dir`/bench-token).
DeskSeed SeedDesk(const std::string& data_dir, int64_t incidents, int per_incident);

// Users and an admin token only (a fresh data directory for the ingest runs).
std::string SeedTokenOnly(const std::string& data_dir);

}  // namespace vigil::bench
