// Masking customer identifiers for those who do not need them in clear (group members; see
// docs/desk-api.md "customer"). Every function counts characters, not bytes: a Chinese name is
// never cut inside a character, and bytes that are not UTF-8 count as one character each (kept
// ones come out as U+FFFD). Each masked character becomes one '*'.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace vigil::desk {

// Keeps the first 3 and the last 4 characters of 8 or more (13812345678 → 138****5678); of 5-7
// only the last 2; 4 or fewer are all masked.
std::string MaskPhone(std::string_view phone);
// Keeps the first character: 张三丰 → 张**, 张三 → 张*, "Li Lei" → "L*****"; a one-character
// name is masked whole ("*").
std::string MaskName(std::string_view utf8_name);
// Keeps the first 4 and the last 4 of 9 or more (6222021234561234 → 6222********1234); of 5-8
// only the last 4; 4 or fewer are all masked.
std::string MaskAccount(std::string_view account);
// Keeps the last 4 of 5 or more (C00123456 → *****3456); 4 or fewer are all masked.
std::string MaskCustomerNo(std::string_view no);

}  // namespace vigil::desk
