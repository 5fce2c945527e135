#include "engine/code_hot.h"

namespace vigil {

void CodeHot::StepSums(int64_t t) {
  // Minute t - 1 enters every window of at least a minute...
  if (const CodeBucket* b = Held(t - 1)) {
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
    if (const CodeBucket* b = Held(t - 1 - window_min)) {
      sums.total -= b->total, sums.success -= b->success, sums.system -= b->system;
      sums.svc_total -= b->svc_total, sums.svc_failures -= b->svc_failures;
    }
  }
  if (abnormal_min > 0) {
    if (const CodeBucket* b = Held(t - 1 - abnormal_min)) sums.abnormal -= b->system;
  }
  if (timeout_min > 0) {
    if (const CodeBucket* b = Held(t - 1 - timeout_min)) sums.timeouts -= b->timeouts;
  }
  if (silence_min > 0) {
    if (const CodeBucket* b = Held(t - 1 - silence_min)) sums.silence_total -= b->total;
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
