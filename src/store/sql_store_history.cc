// SqlStore: baselines, one row per (code, day) with its minutes packed (history_codec.h) and
// one row per (reconciliation check, day).
#include <algorithm>

#include "common/strings.h"
#include "fmt/format.h"
#include "store/history_codec.h"
#include "store/sql_store.h"

namespace vigil::store {
namespace {

template <typename T, typename Name>
absl::Status CheckUnique(const std::vector<T>& items, Name name, LocalDay day,
                         std::string_view what) {
  std::vector<std::string_view> names;
  for (const T& item : items) names.push_back(name(item));
  std::sort(names.begin(), names.end());
  auto dup = std::adjacent_find(names.begin(), names.end());
  if (dup == names.end()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      AsAbsl(fmt::format("history day {}: {} '{}' appears twice", day, what, *dup)));
}

}  // namespace

absl::Status SqlStore::PutHistoryDay(const HistoryDay& day) {
  VIGIL_RETURN_IF_ERROR(CheckUnique(
      day.codes, [](const HistoryDay::Code& c) -> std::string_view { return c.txn; }, day.day,
      "code"));
  VIGIL_RETURN_IF_ERROR(CheckUnique(
      day.recon, [](const HistoryDay::Recon& r) -> std::string_view { return r.check; }, day.day,
      "recon check"));
  std::vector<std::string> blobs;
  blobs.reserve(day.codes.size());
  for (const HistoryDay::Code& c : day.codes) blobs.push_back(EncodeMinutes(c.minutes));
  return db_->Write([&](SqlSession& s) -> absl::Status {
    // The day's codes and recon rows go with it (ON DELETE CASCADE).
    VIGIL_RETURN_IF_ERROR(s.Query("DELETE FROM history_day WHERE day = $1", {Int(day.day)}).status());
    VIGIL_RETURN_IF_ERROR(
        s.Query("INSERT INTO history_day (day) VALUES ($1)", {Int(day.day)}).status());
    for (size_t i = 0; i < day.codes.size(); ++i) {
      VIGIL_RETURN_IF_ERROR(
          s.Query("INSERT INTO history_code (day, txn, minutes) VALUES ($1, $2, $3)",
                  {Int(day.day), Text(day.codes[i].txn), Blob(blobs[i])})
              .status());
    }
    for (const HistoryDay::Recon& r : day.recon) {
      VIGIL_RETURN_IF_ERROR(
          s.Query("INSERT INTO history_recon (day, check_name, mismatch_count, mismatch_amount) "
                  "VALUES ($1, $2, $3, $4)",
                  {Int(day.day), Text(r.check), Real(r.mismatch_count), Real(r.mismatch_amount)})
              .status());
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<HistoryDay>> SqlStore::LoadHistory(LocalDay from, LocalDay to) {
  std::vector<HistoryDay> days;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    days.clear();
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows day_rows,
        s.Query("SELECT day FROM history_day WHERE day >= $1 AND day <= $2 ORDER BY day",
                {Int(from), Int(to)}));
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows code_rows,
        s.Query("SELECT day, txn, minutes FROM history_code WHERE day >= $1 AND day <= $2 "
                "ORDER BY day, txn",
                {Int(from), Int(to)}));
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows recon_rows,
        s.Query("SELECT day, check_name, mismatch_count, mismatch_amount FROM history_recon "
                "WHERE day >= $1 AND day <= $2 ORDER BY day, check_name",
                {Int(from), Int(to)}));
    // Rows of each table come in day order, like the days: one merge pass.
    size_t c = 0, r = 0;
    for (const SqlRow& d : day_rows) {
      HistoryDay& h = days.emplace_back();
      h.day = d[0].Int();
      for (; c < code_rows.size() && code_rows[c][0].Int() == h.day; ++c) {
        absl::StatusOr<MinuteCounts> minutes = DecodeMinutes(code_rows[c][2].Text());
        if (!minutes.ok()) {
          return absl::DataLossError(AsAbsl(fmt::format("{} store {}: history of {} on day {}: {}",
                                                        db_->backend(), db_->where(),
                                                        code_rows[c][1].Text(), h.day,
                                                        AsStd(minutes.status().message()))));
        }
        h.codes.push_back(HistoryDay::Code{code_rows[c][1].Text(), std::move(*minutes)});
      }
      for (; r < recon_rows.size() && recon_rows[r][0].Int() == h.day; ++r) {
        const SqlRow& row = recon_rows[r];
        h.recon.push_back(HistoryDay::Recon{row[1].Text(), row[2].OptReal(), row[3].OptReal()});
      }
    }
    return absl::OkStatus();
  }));
  return days;
}

absl::StatusOr<int64_t> SqlStore::PruneHistory(LocalDay before, int limit) {
  int64_t n = 0;
  VIGIL_RETURN_IF_ERROR(db_->Write([&](SqlSession& s) -> absl::Status {
    // A day's codes and recon results go with it (ON DELETE CASCADE).
    VIGIL_ASSIGN_OR_RETURN(
        SqlRows rows,
        s.Query("DELETE FROM history_day WHERE day IN (SELECT day FROM history_day "
                "WHERE day < $1 ORDER BY day LIMIT $2) RETURNING day",
                {Int(before), Int(static_cast<int64_t>(limit))}));
    n = static_cast<int64_t>(rows.size());
    return absl::OkStatus();
  }));
  return n;
}

absl::StatusOr<int64_t> SqlStore::HistoryBytes() {
  int64_t bytes = 0;
  VIGIL_RETURN_IF_ERROR(db_->Read([&](SqlSession& s) -> absl::Status {
    VIGIL_ASSIGN_OR_RETURN(SqlRows rows, s.Query(db_->dialect().history_bytes));
    bytes = rows.empty() ? 0 : rows[0][0].Int();
    return absl::OkStatus();
  }));
  return bytes;
}

}  // namespace vigil::store
