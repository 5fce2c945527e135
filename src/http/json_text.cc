#include "http/json_text.h"

#include <zlib.h>

#include <cmath>
#include <iterator>

#include "fmt/format.h"

namespace vigil::http {
namespace {

// The length of the valid UTF-8 sequence at s[i] (a lead byte >= 0x80), or 0 when invalid.
size_t Utf8Length(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
  else return 0;
  if (i + n > s.size() || byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

constexpr size_t kCompressAbove = 32 << 10;

// `text` as gzip (RFC 1952) at `level`; empty when zlib fails.
std::string Gzip(const std::string& text, int level) {
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&z, text.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return rc == Z_STREAM_END ? out : std::string();
}

// httplib compresses only the exact type "application/json": with the charset it leaves the
// body as given.
constexpr const char* kJsonType = "application/json; charset=utf-8";

bool WantsGzip(const httplib::Request& req, const std::string& json) {
  return json.size() >= kCompressAbove && req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos;
}

void SendGzip(httplib::Response& res, const std::string& gz) {
  res.status = 200;
  res.set_header("Content-Encoding", "gzip");
  res.set_header("Vary", "Accept-Encoding");
  res.set_content(gz, kJsonType);
}

}  // namespace

void SendJsonText(const httplib::Request& req, httplib::Response& res, std::string json) {
  if (WantsGzip(req, json)) {
    if (std::string gz = Gzip(json, 1); !gz.empty()) return SendGzip(res, gz);
  }
  res.status = 200;
  res.set_content(json, kJsonType);
}

void RepeatedAnswer::Send(const httplib::Request& req, httplib::Response& res, std::string json) {
  if (!WantsGzip(req, json)) return SendJsonText(req, res, std::move(json));
  std::lock_guard lock(mu_);
  if (json != json_) {
    gzip_ = Gzip(json, 1);
    json_ = std::move(json);
  }
  if (gzip_.empty()) return SendJsonText(req, res, json_);
  SendGzip(res, gzip_);
}

void JsonText::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_items_.empty()) {
    if (has_items_.back()) out_.push_back(',');
    has_items_.back() = true;
  }
}

JsonText& JsonText::Open(char bracket) {
  BeforeValue();
  out_.push_back(bracket);
  has_items_.push_back(false);
  return *this;
}

JsonText& JsonText::Close(char bracket) {
  out_.push_back(bracket);
  has_items_.pop_back();
  return *this;
}

JsonText& JsonText::Key(std::string_view name) {
  BeforeValue();
  Escaped(name);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

JsonText& JsonText::String(std::string_view value) {
  BeforeValue();
  Escaped(value);
  return *this;
}

JsonText& JsonText::Int(int64_t value) {
  BeforeValue();
  fmt::format_to(std::back_inserter(out_), "{}", value);
  return *this;
}

JsonText& JsonText::Double(double value) {
  BeforeValue();
  if (std::isfinite(value)) {
    fmt::format_to(std::back_inserter(out_), "{}", value);
  } else {
    out_ += "null";
  }
  return *this;
}

JsonText& JsonText::Bool(bool value) {
  BeforeValue();
  out_ += value ? "true" : "false";
  return *this;
}

JsonText& JsonText::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

JsonText& JsonText::Raw(std::string_view json) {
  BeforeValue();
  out_ += json;
  return *this;
}

void JsonText::Escaped(std::string_view s) {
  out_.push_back('"');
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const size_t n = Utf8Length(s, i);
      if (n == 0) {
        out_ += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not UTF-8
        ++i;
      } else {
        out_.append(s.data() + i, n);
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      default:
        if (c < 0x20) {
          fmt::format_to(std::back_inserter(out_), "\\u{:04x}", c);
        } else {
          out_.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out_.push_back('"');
}

}  // namespace vigil::http
