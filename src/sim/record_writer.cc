// JSON Lines / CSV formatting of simulated records and the file or gzip sink behind it.
#include "sim/record_writer.h"

#include <cerrno>
#include <cstring>
#include <iterator>

#include "fmt/compile.h"
#include "fmt/format.h"
#include "zlib.h"

namespace vigil::sim {
namespace {

constexpr size_t kFlushBytes = 1 << 20;
constexpr const char* kCsvHeader =
    "ts,txn,ret,dur_ms,sys,svc_sys,svc_ret,node,serial,org,amount,msg,phase,mismatch_count,"
    "mismatch_amount\n";

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

template <typename Out>
Out AppendCents(Out out, int64_t cents) {
  return fmt::format_to(out, FMT_COMPILE("{}.{:02d}"), cents / 100, cents % 100);
}

const char* PhaseName(RecPhase p) { return p == RecPhase::kStart ? "start" : "end"; }

}  // namespace

absl::StatusOr<OutputSpec> OutputSpecFor(const std::string& path, const std::string& format) {
  OutputSpec spec{path, RecordFormat::kJsonLines, false};
  std::string name = path;
  if (EndsWith(name, ".gz")) spec.gzip = true, name.resize(name.size() - 3);
  if (!format.empty()) {
    if (format != "jsonl" && format != "csv") {
      return absl::InvalidArgumentError(fmt::format("unknown format '{}' (jsonl or csv)", format));
    }
    spec.format = format == "csv" ? RecordFormat::kCsv : RecordFormat::kJsonLines;
  } else if (EndsWith(name, ".csv")) {
    spec.format = RecordFormat::kCsv;
  } else if (path != "-" && !EndsWith(name, ".jsonl") && !EndsWith(name, ".ndjson") &&
             !EndsWith(name, ".json")) {
    return absl::InvalidArgumentError(fmt::format(
        "cannot tell the format of '{}': name it .jsonl or .csv (optionally .gz), or pass --format",
        path));
  }
  return spec;
}

absl::StatusOr<std::unique_ptr<OutputFile>> OutputFile::Open(const std::string& path, bool gzip) {
  std::unique_ptr<OutputFile> f(new OutputFile());
  f->path_ = path;
  if (path == "-") {
    f->file_ = stdout;
    f->is_stdout_ = true;
    if (gzip) f->gz_ = gzdopen(fileno(stdout), "wb1");
  } else if (gzip) {
    f->gz_ = gzopen(path.c_str(), "wb1");
  } else {
    f->file_ = std::fopen(path.c_str(), "wb");
  }
  if ((gzip && f->gz_ == nullptr) || (!gzip && f->file_ == nullptr)) {
    return absl::UnavailableError(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  }
  if (f->gz_ != nullptr) gzbuffer(static_cast<gzFile>(f->gz_), 1 << 20);
  return f;
}

OutputFile::~OutputFile() { Close().IgnoreError(); }

absl::Status OutputFile::Write(const char* data, size_t n) {
  if (gz_ != nullptr) {
    if (n > 0 && gzwrite(static_cast<gzFile>(gz_), data, static_cast<unsigned>(n)) == 0) {
      return absl::DataLossError(fmt::format("writing {} failed", path_));
    }
  } else if (file_ != nullptr && std::fwrite(data, 1, n, file_) != n) {
    return absl::DataLossError(fmt::format("writing {} failed: {}", path_, std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status OutputFile::Close() {
  absl::Status s;
  if (gz_ != nullptr) {
    if (gzclose(static_cast<gzFile>(gz_)) != Z_OK)
      s = absl::DataLossError(fmt::format("closing {} failed", path_));
    gz_ = nullptr;
    if (is_stdout_) file_ = nullptr;
  }
  if (file_ != nullptr) {
    bool bad = is_stdout_ ? std::fflush(file_) != 0 : std::fclose(file_) != 0;
    if (bad)
      s = absl::DataLossError(fmt::format("closing {} failed: {}", path_, std::strerror(errno)));
    file_ = nullptr;
  }
  return s;
}

RecordWriter::RecordWriter(const Bank& bank, const absl::TimeZone& tz, RecordFormat format,
                           std::unique_ptr<OutputFile> out)
    : bank_(bank), tz_(tz), format_(format), out_(std::move(out)), minutes_(256) {
  buf_.reserve(kFlushBytes + 4096);
  for (const TxnCode& c : bank.codes) codes_.push_back(&c);
  for (const TxnCode& c : bank.eod_codes) codes_.push_back(&c);
  for (const ServiceSystem& s : bank.services) {
    svc_rets_.push_back(s.ok), svc_rets_.push_back(s.business), svc_rets_.push_back(s.failure);
  }
  if (format_ == RecordFormat::kCsv) buf_ += kCsvHeader;
}

RecordWriter::~RecordWriter() { Close().IgnoreError(); }

const RecordWriter::MinuteText& RecordWriter::Minute(TimeMs ts) {
  int64_t minute = MinuteOf(ts);
  MinuteText& m = minutes_[static_cast<size_t>(minute & 255)];
  if (m.minute != minute) {
    m.minute = minute;
    absl::TimeZone::CivilInfo ci = tz_.At(absl::FromUnixMillis(MinuteStart(minute)));
    auto r = fmt::format_to_n(m.prefix, sizeof(m.prefix) - 1,
                              "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:", ci.cs.year(), ci.cs.month(),
                              ci.cs.day(), ci.cs.hour(), ci.cs.minute());
    *r.out = '\0';
    int off = ci.offset / 60;
    char sign = off < 0 ? '-' : '+';
    off = off < 0 ? -off : off;
    auto o = fmt::format_to_n(m.offset, sizeof(m.offset) - 1, "{}{:02d}:{:02d}", sign, off / 60,
                              off % 60);
    *o.out = '\0';
  }
  return m;
}

void RecordWriter::Write(const SimRecord& r) {
  if (format_ == RecordFormat::kJsonLines) {
    AppendJson(r);
  } else {
    AppendCsv(r);
  }
  MaybeFlush();
}

std::string RecordWriter::Format(const SimRecord& r) {
  std::string saved;
  saved.swap(buf_);
  format_ == RecordFormat::kJsonLines ? AppendJson(r) : AppendCsv(r);
  saved.swap(buf_);
  return saved;
}

void RecordWriter::AppendJson(const SimRecord& r) {
  auto out = std::back_inserter(buf_);
  const MinuteText& m = Minute(r.ts);
  const TxnCode& c = *codes_[static_cast<size_t>(r.code)];
  const RetCode& ret = bank_.rets[static_cast<size_t>(r.ret)];
  const RequestSystem& sys = bank_.systems[static_cast<size_t>(c.sys)];
  const int ms = static_cast<int>(r.ts - MinuteStart(m.minute));
  out = fmt::format_to(out, FMT_COMPILE(R"({{"ts":"{}{:02d}.{:03d}{}","txn":"{}","ret":"{}")"),
                       m.prefix, ms / 1000, ms % 1000, m.offset, c.code, ret.code);
  if (r.dur >= 0) out = fmt::format_to(out, FMT_COMPILE(R"(,"dur_ms":{})"), r.dur);
  out = fmt::format_to(out, FMT_COMPILE(R"(,"sys":"{}")"), sys.code);
  if (c.svc >= 0) {
    out = fmt::format_to(out, FMT_COMPILE(R"(,"svc_sys":"{}")"),
                         bank_.services[static_cast<size_t>(c.svc)].code);
  }
  if (r.svc_ret >= 0)
    out = fmt::format_to(out, FMT_COMPILE(R"(,"svc_ret":"{}")"),
                         svc_rets_[static_cast<size_t>(r.svc_ret)]);
  out = fmt::format_to(out, FMT_COMPILE(R"(,"node":"{}","serial":"{:018d}")"),
                       sys.node_names[static_cast<size_t>(r.node)], r.serial);
  if (r.org >= 0)
    out =
        fmt::format_to(out, FMT_COMPILE(R"(,"org":"{}")"), bank_.orgs[static_cast<size_t>(r.org)]);
  if (r.amount >= 0) out = AppendCents(fmt::format_to(out, FMT_COMPILE(R"(,"amount":)")), r.amount);
  if (!ret.msg.empty()) out = fmt::format_to(out, FMT_COMPILE(R"(,"msg":"{}")"), ret.msg);
  if (r.phase != RecPhase::kNone)
    out = fmt::format_to(out, FMT_COMPILE(R"(,"phase":"{}")"), PhaseName(r.phase));
  if (r.mismatch_count >= 0) {
    out = fmt::format_to(out, FMT_COMPILE(R"(,"mismatch_count":{},"mismatch_amount":)"),
                         r.mismatch_count);
    out = AppendCents(out, r.mismatch_cents);
  }
  buf_ += "}\n";
}

void RecordWriter::AppendCsv(const SimRecord& r) {
  auto out = std::back_inserter(buf_);
  const MinuteText& m = Minute(r.ts);
  const TxnCode& c = *codes_[static_cast<size_t>(r.code)];
  const RetCode& ret = bank_.rets[static_cast<size_t>(r.ret)];
  const RequestSystem& sys = bank_.systems[static_cast<size_t>(c.sys)];
  const int ms = static_cast<int>(r.ts - MinuteStart(m.minute));
  out = fmt::format_to(out, FMT_COMPILE("{}{:02d}.{:03d}{},{},{},"), m.prefix, ms / 1000, ms % 1000,
                       m.offset, c.code, ret.code);
  if (r.dur >= 0) out = fmt::format_to(out, FMT_COMPILE("{}"), r.dur);
  out = fmt::format_to(
      out, FMT_COMPILE(",{},{},{},{},{:018d},{},"), sys.code,
      c.svc >= 0 ? std::string_view(bank_.services[static_cast<size_t>(c.svc)].code) : "",
      r.svc_ret >= 0 ? std::string_view(svc_rets_[static_cast<size_t>(r.svc_ret)]) : "",
      sys.node_names[static_cast<size_t>(r.node)], r.serial,
      r.org >= 0 ? std::string_view(bank_.orgs[static_cast<size_t>(r.org)]) : "");
  if (r.amount >= 0) out = AppendCents(out, r.amount);
  out = fmt::format_to(out, FMT_COMPILE(",{},{},"), ret.msg,
                       r.phase != RecPhase::kNone ? PhaseName(r.phase) : "");
  if (r.mismatch_count >= 0) {
    out = fmt::format_to(out, FMT_COMPILE("{},"), r.mismatch_count);
    out = AppendCents(out, r.mismatch_cents);
  } else {
    buf_ += ',';
  }
  buf_ += '\n';
}

void RecordWriter::MaybeFlush() {
  if (buf_.size() < kFlushBytes) return;
  if (status_.ok()) status_ = out_->Write(buf_.data(), buf_.size());
  bytes_ += static_cast<int64_t>(buf_.size());
  buf_.clear();
}

absl::Status RecordWriter::Close() {
  if (!out_) return status_;
  if (status_.ok() && !buf_.empty()) status_ = out_->Write(buf_.data(), buf_.size());
  bytes_ += static_cast<int64_t>(buf_.size());
  buf_.clear();
  absl::Status s = out_->Close();
  out_.reset();
  if (status_.ok()) status_ = s;
  return status_;
}

}  // namespace vigil::sim
