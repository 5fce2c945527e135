// Masking (mask.h): split into characters, keep a head and a tail, star the middle.
#include "desk/mask.h"

#include <vector>

#include "desk/utf8.h"

namespace vigil::desk {
namespace {

// The characters of `s`; a byte that is not UTF-8 becomes U+FFFD.
std::vector<std::string_view> Characters(std::string_view s) {
  static constexpr std::string_view kReplacement = "\uFFFD";
  std::vector<std::string_view> out;
  for (size_t i = 0; i < s.size();) {
    const size_t n = Utf8SequenceLength(s, i);
    out.push_back(n == 0 ? kReplacement : s.substr(i, n));
    i += n == 0 ? 1 : n;
  }
  return out;
}

std::string Keep(std::string_view s, size_t head, size_t tail) {
  const std::vector<std::string_view> chars = Characters(s);
  std::string out;
  for (size_t i = 0; i < chars.size(); ++i) {
    if (i < head || i + tail >= chars.size()) {
      out.append(chars[i]);
    } else {
      out.push_back('*');
    }
  }
  return out;
}

size_t CountCharacters(std::string_view s) { return Characters(s).size(); }

}  // namespace

std::string MaskPhone(std::string_view phone) {
  const size_t n = CountCharacters(phone);
  if (n >= 8) return Keep(phone, 3, 4);
  return n >= 5 ? Keep(phone, 0, 2) : Keep(phone, 0, 0);
}

std::string MaskName(std::string_view utf8_name) {
  return CountCharacters(utf8_name) <= 1 ? Keep(utf8_name, 0, 0) : Keep(utf8_name, 1, 0);
}

std::string MaskAccount(std::string_view account) {
  const size_t n = CountCharacters(account);
  if (n >= 9) return Keep(account, 4, 4);
  return n >= 5 ? Keep(account, 0, 4) : Keep(account, 0, 0);
}

std::string MaskCustomerNo(std::string_view no) {
  return CountCharacters(no) >= 5 ? Keep(no, 0, 4) : Keep(no, 0, 0);
}

}  // namespace vigil::desk
