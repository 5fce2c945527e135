// Group state as JSON (group.h).
#include "alerting/group.h"

#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace vigil::alerting {

std::string GroupState::ToJson() const {
  nlohmann::json j = {
      {"receiver", receiver},
      {"route", route_id},
      {"labels", group_labels},
      {"created_at", created_at},
      {"next_flush_at", next_flush_at},
      {"seq", seq},
      {"sent_firing", sent_firing},
  };
  if (last_sent_at) j["last_sent_at"] = *last_sent_at;
  return j.dump();
}

absl::StatusOr<GroupState> GroupState::FromJson(const std::string& key, const std::string& json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return absl::DataLossError(fmt::format("group state of '{}' is not a JSON object", key));
  }
  GroupState s;
  s.key = key;
  s.stored = true;
  try {
    s.receiver = j.at("receiver").get<std::string>();
    s.route_id = j.at("route").get<std::string>();
    s.group_labels = j.at("labels").get<Labels>();
    s.created_at = j.at("created_at").get<TimeMs>();
    s.next_flush_at = j.at("next_flush_at").get<TimeMs>();
    s.seq = j.at("seq").get<int64_t>();
    s.sent_firing = j.at("sent_firing").get<std::set<std::string>>();
    if (j.contains("last_sent_at")) s.last_sent_at = j["last_sent_at"].get<TimeMs>();
  } catch (const nlohmann::json::exception& e) {
    return absl::DataLossError(fmt::format("group state of '{}' is unreadable: {}", key, e.what()));
  }
  return s;
}

}  // namespace vigil::alerting
