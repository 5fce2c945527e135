#include "engine/code_hot.h"

#include <algorithm>

namespace vigil {

void CodeHot::SetWindows(int64_t window, int64_t abnormal, int64_t timeout, int64_t silence) {
  window_min = window, abnormal_min = abnormal, timeout_min = timeout, silence_min = silence;
  widest_min = std::max({window, abnormal, timeout, silence});
  short_windows = widest_min < 64;
  auto bit = [](int64_t w) { return w < 64 ? uint64_t{1} << w : 0; };
  change_bits = 1 | bit(window) | bit(abnormal) | bit(timeout);
  step_bits = change_bits | bit(silence);
}

void CodeHot::StepSums(int64_t t, uint64_t active) {
  // Minute t - 1 enters every window of at least a minute...
  if (const CodeBucket* b = Held(t, active, 0)) {
    if (window_min > 0) {
      sums.total += b->total, sums.success += b->success, sums.system += b->system;
      sums.svc_total += b->svc_total, sums.svc_failures += b->svc_failures;
    }
    if (abnormal_min > 0) sums.abnormal += b->system;
    if (timeout_min > 0) sums.timeouts += b->timeouts;
    if (silence_min > 0) sums.silence_total += b->total;
  }
  // ...and minute t - 1 - W leaves the window of W minutes.
  if (window_min > 0) {
    if (const CodeBucket* b = Held(t, active, window_min)) {
      sums.total -= b->total, sums.success -= b->success, sums.system -= b->system;
      sums.svc_total -= b->svc_total, sums.svc_failures -= b->svc_failures;
    }
  }
  if (abnormal_min > 0) {
    if (const CodeBucket* b = Held(t, active, abnormal_min)) sums.abnormal -= b->system;
  }
  if (timeout_min > 0) {
    if (const CodeBucket* b = Held(t, active, timeout_min)) sums.timeouts -= b->timeouts;
  }
  if (silence_min > 0) {
    if (const CodeBucket* b = Held(t, active, silence_min)) sums.silence_total -= b->total;
  }
}

void CodeHot::RecomputeSums(int64_t t) {
  sums = WindowSums{};
  for (int64_t k = 1; k <= widest_min; ++k) {
    const CodeBucket* b = ring.Find(t - k);
    if (!b) continue;
    if (k <= window_min) {
      sums.total += b->total, sums.success += b->success, sums.system += b->system;
      sums.svc_total += b->svc_total, sums.svc_failures += b->svc_failures;
    }
    if (k <= abnormal_min) sums.abnormal += b->system;
    if (k <= timeout_min) sums.timeouts += b->timeouts;
    if (k <= silence_min) sums.silence_total += b->total;
  }
}

}  // namespace vigil
