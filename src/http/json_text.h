// JSON written straight into a string, for answers with thousands of rows (the codes table,
// the configuration's codes): building a nlohmann tree first allocates every key and value and
// took most of such an answer's time (5,000 codes: ~70 ms of ~100).
//
// The caller keeps the structure right (keys only inside objects, Begin/End paired); the
// writer places the commas. Strings are escaped; a string that is not valid UTF-8 has its bad
// bytes replaced by U+FFFD (as SendJson does). Non-finite numbers are written as null.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "httplib.h"

namespace vigil::http {

class JsonText {
 public:
  JsonText& BeginObject() { return Open('{'); }
  JsonText& EndObject() { return Close('}'); }
  JsonText& BeginArray() { return Open('['); }
  JsonText& EndArray() { return Close(']'); }
  // The next member's name; its value follows.
  JsonText& Key(std::string_view name);
  JsonText& String(std::string_view value);
  JsonText& Int(int64_t value);
  JsonText& Double(double value);
  JsonText& Bool(bool value);
  JsonText& Null();
  // Text that is already JSON (a value).
  JsonText& Raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  JsonText& Open(char bracket);
  JsonText& Close(char bracket);
  void BeforeValue();
  void Escaped(std::string_view s);

  std::string out_;
  std::vector<bool> has_items_;  // per open bracket: something written in it already
  bool after_key_ = false;
};

// Answers `json` (200). A large answer to a client that accepts gzip is gzipped here at level 1
// (twice as fast as httplib's level 6, for a quarter more bytes: 5,000 codes' rows are 1.5 MB
// of JSON, 100 KB compressed), which the charset in its Content-Type keeps httplib from doing
// again.
void SendJsonText(const httplib::Request& req, httplib::Response& res, std::string json);

// SendJsonText for a route whose large answer seldom changes (the configuration's 4 MB): the
// last answer's gzip is kept and sent again while the answer is the same.
class RepeatedAnswer {
 public:
  void Send(const httplib::Request& req, httplib::Response& res, std::string json);

 private:
  std::mutex mu_;
  std::string json_, gzip_;
};

}  // namespace vigil::http
