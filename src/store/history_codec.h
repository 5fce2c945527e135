// The stored form of one code's volume over one day: its nonzero per-minute counts, packed.
//
// Layout: one tag byte, then the body (tag 1) or the zlib stream of the body preceded by the
// body's length as a varint (tag 2; used only when it is shorter). The body is a sequence of
// runs of consecutive minutes:
//   varint run_count, then per run: zigzag varint (first minute - end of the previous run),
//   varint (length - 1), and `length` zigzag varints (count - previous count).
// A busy code (a count in every minute of the day time) is one or a few runs whose counts
// differ little from minute to minute: about one byte per minute. A sparse code costs a few
// bytes per nonzero minute.
//
// The encoding is canonical: minutes ascending, one entry per minute (duplicates summed),
// zero counts dropped. That is what the engine exports, so it round-trips exactly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace vigil::store {

using MinuteCounts = std::vector<std::pair<int, uint32_t>>;  // (minute of the day, records)

std::string EncodeMinutes(MinuteCounts minutes);
// DataLoss when the blob is not one EncodeMinutes wrote.
absl::StatusOr<MinuteCounts> DecodeMinutes(std::string_view blob);

}  // namespace vigil::store
