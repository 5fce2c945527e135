#include "store/sql.h"

#include <charconv>

namespace vigil::store {

int64_t SqlCell::Int() const {
  if (const auto* i = std::get_if<int64_t>(&v_)) return *i;
  if (const auto* d = std::get_if<double>(&v_)) return static_cast<int64_t>(*d);
  if (const auto* s = std::get_if<std::string>(&v_)) {
    int64_t v = 0;
    std::from_chars(s->data(), s->data() + s->size(), v);
    return v;
  }
  return 0;
}

double SqlCell::Real() const {
  if (const auto* d = std::get_if<double>(&v_)) return *d;
  if (const auto* i = std::get_if<int64_t>(&v_)) return static_cast<double>(*i);
  if (const auto* s = std::get_if<std::string>(&v_)) {
    double v = 0;
    std::from_chars(s->data(), s->data() + s->size(), v);
    return v;
  }
  return 0;
}

const std::string& SqlCell::Text() const {
  static const std::string kEmpty;
  const auto* s = std::get_if<std::string>(&v_);
  return s ? *s : kEmpty;
}

}  // namespace vigil::store
