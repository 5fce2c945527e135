// Where sources keep their resume points across restarts (file tail: device, inode, offset
// and fingerprint of each followed file). `vigil serve` adapts the store's GetOffset /
// PutOffset to it; MemoryOffsetStore serves tests and runs without a store.
//
// Thread safety: implementations must accept calls from any thread (Put runs in the consumer
// thread, from a batch's on_applied callback).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace vigil {

class OffsetStore {
 public:
  virtual ~OffsetStore() = default;
  virtual std::optional<std::string> Get(const std::string& key) = 0;
  virtual void Put(const std::string& key, const std::string& value) = 0;
};

class MemoryOffsetStore : public OffsetStore {
 public:
  std::optional<std::string> Get(const std::string& key) override {
    std::lock_guard lock(mu_);
    auto it = values_.find(key);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }
  void Put(const std::string& key, const std::string& value) override {
    std::lock_guard lock(mu_);
    values_[key] = value;
    ++puts_;
  }
  int puts() const {
    std::lock_guard lock(mu_);
    return puts_;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> values_;
  int puts_ = 0;
};

}  // namespace vigil
