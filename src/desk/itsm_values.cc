// Value translation for the ITSM import (itsm_values.h).
#include "desk/itsm_values.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/strings.h"
#include "fmt/format.h"

namespace vigil::desk {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

using Synonyms = std::initializer_list<std::pair<std::string_view, std::string_view>>;

absl::StatusOr<std::string> Translate(std::string_view text, Synonyms table,
                                      std::string_view accepted) {
  const std::string key = Lower(TrimSpace(text));
  for (const auto& [from, to] : table) {
    if (key == from) return std::string(to);
  }
  return absl::InvalidArgumentError(
      AsAbsl(fmt::format("unknown value '{}' (accepted: {})", TrimSpace(text), accepted)));
}

// Reads 1..max_digits digits at s[*i]; false when there are none.
bool Number(std::string_view s, size_t* i, int max_digits, int* out) {
  int n = 0, v = 0;
  while (*i < s.size() && n < max_digits && s[*i] >= '0' && s[*i] <= '9') {
    v = v * 10 + (s[(*i)++] - '0');
    ++n;
  }
  *out = v;
  return n > 0;
}

// A zone suffix: Z, ±HH:MM, ±HHMM or ±HH; nullopt offset when there is none. False when the
// text at s[i] is something else.
bool Offset(std::string_view s, size_t i, std::optional<int>* minutes) {
  if (i == s.size()) return true;
  if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size()) {
    *minutes = 0;
    return true;
  }
  if (s[i] != '+' && s[i] != '-') return false;
  const int sign = s[i] == '-' ? -1 : 1;
  std::string digits;
  for (size_t k = i + 1; k < s.size(); ++k) {
    if (s[k] == ':' && k == i + 3) continue;
    if (s[k] < '0' || s[k] > '9') return false;
    digits.push_back(s[k]);
  }
  if (digits.size() != 2 && digits.size() != 4) return false;
  const int h = std::stoi(digits.substr(0, 2));
  const int m = digits.size() == 4 ? std::stoi(digits.substr(2)) : 0;
  if (h > 23 || m > 59) return false;
  *minutes = sign * (h * 60 + m);
  return true;
}

}  // namespace

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

absl::StatusOr<std::string> ParseImportStatus(std::string_view text) {
  return Translate(text,
                   {{"new", "new"},
                    {"新建", "new"},
                    {"accepted", "accepted"},
                    {"已受理", "accepted"},
                    {"transferred", "transferred"},
                    {"已转派", "transferred"},
                    {"resolved", "resolved"},
                    {"已解决", "resolved"},
                    {"closed", "closed"},
                    {"已关闭", "closed"}},
                   "new/新建, accepted/已受理, transferred/已转派, resolved/已解决, closed/已关闭");
}

absl::StatusOr<std::string> ParseImportPriority(std::string_view text) {
  return Translate(text,
                   {{"p1", "P1"},
                    {"p2", "P2"},
                    {"p3", "P3"},
                    {"p4", "P4"},
                    {"1", "P1"},
                    {"2", "P2"},
                    {"3", "P3"},
                    {"4", "P4"},
                    {"紧急", "P1"},
                    {"高", "P2"},
                    {"中", "P3"},
                    {"低", "P4"},
                    {"urgent", "P1"},
                    {"high", "P2"},
                    {"medium", "P3"},
                    {"low", "P4"}},
                   "P1..P4, 紧急/高/中/低, urgent/high/medium/low");
}

absl::StatusOr<std::string> ParseImportClass(std::string_view text) {
  return Translate(text,
                   {{"data", "data"},
                    {"数据类", "data"},
                    {"数据", "data"},
                    {"program", "program"},
                    {"程序类", "program"},
                    {"程序", "program"},
                    {"consultation", "consultation"},
                    {"咨询类", "consultation"},
                    {"咨询", "consultation"}},
                   "data/数据类, program/程序类, consultation/咨询类");
}

absl::StatusOr<TimeMs> ParseImportTime(std::string_view text, const absl::TimeZone& tz) {
  const std::string_view s = TrimSpace(text);
  auto bad = [&] {
    return absl::InvalidArgumentError(AsAbsl(fmt::format(
        "'{}' is not a time (ISO 8601 like 2026-11-20T15:08:00+08:00, or 2026-11-20 15:08[:SS] "
        "in {})",
        s, tz.name())));
  };
  size_t i = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
  if (!Number(s, &i, 4, &y) || i != 4 || i >= s.size() || (s[i] != '-' && s[i] != '/')) {
    return bad();
  }
  const char sep = s[i++];
  if (!Number(s, &i, 2, &mo) || i >= s.size() || s[i++] != sep || !Number(s, &i, 2, &d)) {
    return bad();
  }
  if (i < s.size() && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
    ++i;
    while (i < s.size() && s[i] == ' ') ++i;
    if (!Number(s, &i, 2, &h) || i >= s.size() || s[i++] != ':' || !Number(s, &i, 2, &mi)) {
      return bad();
    }
    if (i < s.size() && s[i] == ':' && (++i, !Number(s, &i, 2, &sec))) return bad();
    if (i < s.size() && s[i] == '.') {
      ++i;
      const size_t first = i;
      int scale = 100;
      for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, scale /= 10)
        ms += (s[i] - '0') * scale;
      if (i == first) return bad();
    }
  }
  std::optional<int> offset;
  if (!Offset(s, i, &offset)) return bad();
  const absl::CivilSecond cs(y, mo, d, h, mi, sec);
  // CivilSecond normalises (Feb 30 → Mar 2); a field that moved was out of range.
  if (cs.year() != y || cs.month() != mo || cs.day() != d || cs.hour() != h || cs.minute() != mi ||
      cs.second() != sec) {
    return bad();
  }
  if (offset) {
    return absl::ToUnixMillis(absl::FromCivil(cs, absl::UTCTimeZone())) -
           int64_t{*offset} * kMsPerMinute + ms;
  }
  return absl::ToUnixMillis(tz.At(cs).pre) + ms;
}

}  // namespace vigil::desk
