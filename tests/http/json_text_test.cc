// JsonText writes what nlohmann reads back as the same document: commas, nesting, escapes,
// numbers, UTF-8 kept and bad bytes replaced.
#include "http/json_text.h"

#include <gtest/gtest.h>

#include <limits>

#include "nlohmann/json.hpp"

namespace vigil::http {
namespace {

using nlohmann::json;

TEST(JsonTextTest, NestedObjectsAndArraysParseBack) {
  JsonText out;
  out.BeginObject();
  out.Key("txn").String("A001");
  out.Key("count").Int(-42);
  out.Key("rate").Double(0.25);
  out.Key("ok").Bool(true);
  out.Key("none").Null();
  out.Key("spark").BeginArray().Int(1).Int(0).Int(3).EndArray();
  out.Key("empty").BeginArray().EndArray();
  out.Key("rows").BeginArray();
  out.BeginObject().Key("a").Int(1).EndObject();
  out.BeginObject().EndObject();
  out.EndArray();
  out.Key("raw").Raw(R"({"x":[1,2]})");
  out.EndObject();
  EXPECT_EQ(json::parse(out.str()), json::parse(R"({"txn":"A001","count":-42,"rate":0.25,"ok":true,"none":null,
      "spark":[1,0,3],"empty":[],"rows":[{"a":1},{}],"raw":{"x":[1,2]}})"));
}

TEST(JsonTextTest, StringsAreEscapedAndUtf8IsKept) {
  const std::string nasty = std::string("转账 \"quoted\" back\\slash\nline\ttab\x01") + '\0' + "end";
  JsonText out;
  out.BeginArray().String(nasty).EndArray();
  EXPECT_EQ(json::parse(out.str())[0].get<std::string>(), nasty);
}

TEST(JsonTextTest, InvalidUtf8BytesBecomeReplacementCharacters) {
  JsonText out;
  // A lone continuation byte, a truncated 3-byte sequence, an overlong '/', a surrogate.
  out.BeginArray().String("a\x80" "b\xE8\xBD" "c\xC0\xAF" "d\xED\xA0\x80" "e").EndArray();
  const std::string back = json::parse(out.str())[0].get<std::string>();
  EXPECT_EQ(back.front(), 'a');
  EXPECT_EQ(back.back(), 'e');
  EXPECT_NE(back.find("\xEF\xBF\xBD"), std::string::npos);
  for (char c : {'b', 'c', 'd'}) EXPECT_NE(back.find(c), std::string::npos);
}

TEST(JsonTextTest, NumbersRoundTripAndNonFiniteIsNull) {
  JsonText out;
  out.BeginArray()
      .Double(0.9998376140084982)
      .Double(1e-7)
      .Double(147.8252716064453)
      .Double(std::numeric_limits<double>::infinity())
      .Double(std::nan(""))
      .Int(INT64_MIN)
      .EndArray();
  const json j = json::parse(out.str());
  EXPECT_EQ(j[0].get<double>(), 0.9998376140084982);
  EXPECT_EQ(j[1].get<double>(), 1e-7);
  EXPECT_EQ(j[2].get<double>(), 147.8252716064453);
  EXPECT_TRUE(j[3].is_null());
  EXPECT_TRUE(j[4].is_null());
  EXPECT_EQ(j[5].get<int64_t>(), INT64_MIN);
}

}  // namespace
}  // namespace vigil::http
