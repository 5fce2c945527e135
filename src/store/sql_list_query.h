// The newest-first list queries (alert events, the acknowledgement log) built one way: optional
// filters as bound parameters, then paging by id. Internal to the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time_util.h"
#include "fmt/format.h"
#include "store/sql.h"

namespace vigil::store {

class ListQuery {
 public:
  // SELECT `columns` FROM `table`, filtered by what is added next.
  ListQuery(std::string_view columns, std::string_view table)
      : sql_(fmt::format("SELECT {} FROM {} WHERE 1 = 1", columns, table)) {}

  // Adds " AND condition", where {} in `condition` stands for `p` (bound, never spliced).
  void Where(std::string_view condition, SqlParam p) {
    params_.push_back(p);
    sql_ += " AND ";
    sql_ += fmt::format(fmt::runtime(condition), fmt::format("${}", params_.size()));
  }

  // The filters both lists share: `at` in [from, to), `rule`, a substring of `key_json`.
  // Strings are bound as views: `rule` and `key_contains` must outlive the query.
  void AtRuleKey(const std::optional<TimeMs>& from, const std::optional<TimeMs>& to,
                 const std::optional<std::string>& rule,
                 const std::optional<std::string>& key_contains, const Dialect& dialect) {
    if (from) Where("at >= {}", Int(*from));
    if (to) Where("at < {}", Int(*to));
    if (rule) Where("rule = {}", Text(*rule));
    if (key_contains) {
      Where(fmt::format(fmt::runtime(dialect.contains), "key_json", "{}"), Text(*key_contains));
    }
  }

  // Ids below `before_id` (0: from the newest), newest first, at most `limit`; the SQL.
  const std::string& Page(int64_t before_id, int limit) {
    if (before_id > 0) Where("id < {}", Int(before_id));
    params_.push_back(Int(static_cast<int64_t>(limit)));
    sql_ += fmt::format(" ORDER BY id DESC LIMIT ${}", params_.size());
    return sql_;
  }

  const std::vector<SqlParam>& params() const { return params_; }

 private:
  std::string sql_;
  std::vector<SqlParam> params_;
};

}  // namespace vigil::store
