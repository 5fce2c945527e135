// Alert events as a table for people at a terminal (`vigil replay --format table`).
#pragma once

#include <cstdio>

#include "absl/time/time.h"
#include "engine/alert.h"

namespace vigil::cli {

class AlertTableWriter : public AlertSink {
 public:
  AlertTableWriter(std::FILE* out, const absl::TimeZone& tz, bool color);
  void OnAlert(const AlertEvent& e) override;

 private:
  std::FILE* out_;
  absl::TimeZone tz_;
  bool color_;
  bool header_done_ = false;
};

}  // namespace vigil::cli
