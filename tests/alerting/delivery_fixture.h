// The delivery tests' fixture (deliver_email_test.cc, deliver_http_test.cc): a real SQLite
// store in a temporary directory, a manual clock, and the alerting pipeline with its Deliverer
// built from a configuration; Fire() commits events and lets the pipeline look at them.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "alerting/alerting.h"
#include "alerting/deliverer.h"
#include "test_support.h"

namespace vigil::alerting::testing_support {

class DeliveryFixture : public ::testing::Test {
 protected:
  // (Re)builds the pipeline from `yaml` on the same store and clock: a restart.
  void StartPipeline(const std::string& yaml) {
    deliverer_.reset();
    alerting_.reset();
    config_ = LoadYaml(yaml);
    auto a = Alerting::Create(config_, store_.get(), &clock_);
    ASSERT_TRUE(a.ok()) << a.status();
    alerting_ = *std::move(a);
    deliverer_ = std::make_unique<Deliverer>(config_.alerting, store_.get(), &clock_);
  }

  // Commits `events` as the minute of the first one, hands them to the pipeline and ticks it.
  void Fire(std::vector<store::AlertEventRow> events) {
    const TimeMs at = events.front().at;  // before `events` is moved from
    alerting_->OnCommitted(Commit(store_.get(), at, std::move(events)));
    alerting_->Tick(clock_.Now());
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_ = OpenStore(dir_);
  ManualClock clock_{kT0};
  Config config_;
  std::unique_ptr<Alerting> alerting_;
  std::unique_ptr<Deliverer> deliverer_;
};

}  // namespace vigil::alerting::testing_support
