#include "engine/history_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "absl/time/civil_time.h"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace vigil {
namespace {

bool ParseDay(const std::string& text, LocalDay* out) {
  absl::CivilDay d;
  if (!absl::ParseCivilTime(text, &d)) return false;
  *out = Calendar::ToLocalDay(d);
  return true;
}

std::optional<double> OptionalNumber(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) throw std::runtime_error(fmt::format("{} must be a number", key));
  return it->get<double>();
}

absl::Status ReadFile(const std::filesystem::path& path, std::map<LocalDay, HistoryDay>* days) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(fmt::format("{}: cannot read", path.string()));
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      nlohmann::json j = nlohmann::json::parse(line);
      LocalDay day;
      if (!j.contains("day") || !ParseDay(j["day"].get<std::string>(), &day)) {
        throw std::runtime_error("\"day\" must be a date like 2026-11-19");
      }
      HistoryDay& h = (*days)[day];
      h.day = day;
      if (j.contains("txn")) {
        HistoryDay::Code code{j["txn"].get<std::string>(), {}};
        for (const auto& pair : j.at("minutes")) {
          code.minutes.emplace_back(pair.at(0).get<int>(), pair.at(1).get<uint32_t>());
        }
        h.codes.push_back(std::move(code));
      } else if (j.contains("recon")) {
        h.recon.push_back(HistoryDay::Recon{j["recon"].get<std::string>(), OptionalNumber(j, "mismatch_count"),
                                            OptionalNumber(j, "mismatch_amount")});
      } else {
        throw std::runtime_error("a line needs \"txn\" or \"recon\"");
      }
    } catch (const std::exception& e) {
      return absl::InvalidArgumentError(fmt::format("{}:{}: {}", path.string(), n, e.what()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ReadHistoryDir(const std::string& dir, std::vector<HistoryDay>* days) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
  }
  if (ec) return absl::NotFoundError(fmt::format("history directory {}: {}", dir, ec.message()));
  std::sort(files.begin(), files.end());
  std::map<LocalDay, HistoryDay> by_day;
  for (const auto& f : files) {
    if (absl::Status s = ReadFile(f, &by_day); !s.ok()) return s;
  }
  for (auto& [day, h] : by_day) days->push_back(std::move(h));
  return absl::OkStatus();
}

void HistoryDirWriter::OnDayClosed(const HistoryDay& day) {
  if (!status_.ok()) return;
  std::filesystem::create_directories(dir_);
  std::string name = calendar_.FormatDay(day.day);
  std::ofstream out(std::filesystem::path(dir_) / (name + ".jsonl"), std::ios::trunc);
  for (const auto& code : day.codes) {
    nlohmann::json j = {{"day", name}, {"txn", code.txn}, {"minutes", code.minutes}};
    out << j.dump() << '\n';
  }
  for (const auto& r : day.recon) {
    nlohmann::json j = {{"day", name}, {"recon", r.check}};
    j["mismatch_count"] = r.mismatch_count ? nlohmann::json(*r.mismatch_count) : nlohmann::json(nullptr);
    j["mismatch_amount"] = r.mismatch_amount ? nlohmann::json(*r.mismatch_amount) : nlohmann::json(nullptr);
    out << j.dump() << '\n';
  }
  if (!out) status_ = absl::InternalError(fmt::format("cannot write history for {} in {}", name, dir_));
  ++days_written_;
}

}  // namespace vigil
