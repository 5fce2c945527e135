// JSON Lines text of the fault manifest; see manifest_writer.h.
#include "sim/manifest_writer.h"

#include <iterator>

#include "fmt/format.h"

namespace vigil::sim {
namespace {

std::string Json(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      q += '\\', q += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      q += fmt::format("\\u{:04x}", static_cast<int>(c));
    } else {
      q += c;
    }
  }
  return q + "\"";
}

std::string Key(const AlertKey& key) {
  std::string s = "{";
  for (size_t i = 0; i < key.size(); ++i) {
    s += fmt::format("{}{}:{}", i ? "," : "", Json(key[i].first), Json(key[i].second));
  }
  return s + "}";
}

std::string Time(const SimCalendar& cal, const std::optional<TimeMs>& t) {
  return t ? Json(cal.Format(*t)) : "null";
}

}  // namespace

std::string ManifestJsonl(const std::vector<Fault>& faults, const SimCalendar& cal) {
  std::string s;
  auto out = std::back_inserter(s);
  for (const Fault& f : faults) {
    const Expectation& primary = f.expect.front();
    fmt::format_to(out, R"({{"id":{},"kind":{},"rule":{},"key":{},"start":{},"end":{},"until":{},)",
                   Json(f.id), Json(f.kind), Json(primary.rule), Key(primary.key),
                   Time(cal, f.start), Time(cal, f.end), Time(cal, f.until));
    fmt::format_to(out, R"("desc":{},"expect":[)", Json(f.desc));
    for (size_t i = 0; i < f.expect.size(); ++i) {
      const Expectation& e = f.expect[i];
      fmt::format_to(out,
                     R"({}{{"rule":{},"key":{},"fire_from":{},"fire_by":{},)"
                     R"("resolve_from":{},"resolve_by":{}}})",
                     i ? "," : "", Json(e.rule), Key(e.key), Time(cal, e.fire_from),
                     Time(cal, e.fire_by), Time(cal, e.resolve_from), Time(cal, e.resolve_by));
    }
    fmt::format_to(out, R"(],"tolerate":[)");
    for (size_t i = 0; i < f.tolerate.size(); ++i) {
      fmt::format_to(out, R"({}{{"rule":{},"key":{}}})", i ? "," : "", Json(f.tolerate[i].rule),
                     Key(f.tolerate[i].key));
    }
    fmt::format_to(out, "]}}\n");
  }
  return s;
}

}  // namespace vigil::sim
