// RecordBatch: records copied into one arena; the builder that fills it from ParseBuffer.
#include "ingest/record_batch.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "fmt/format.h"

namespace vigil {

void StringArena::AddChunk(size_t bytes) {
  chunks_.push_back(std::make_unique_for_overwrite<char[]>(bytes));
  cur_ = chunks_.back().get();
  left_ = bytes;
  last_chunk_ = bytes;
}

void StringArena::Reserve(size_t bytes) {
  if (bytes > left_) AddChunk(bytes);
}

char* StringArena::Allocate(size_t n) {
  if (n > left_) AddChunk(std::max({n, 2 * last_chunk_, size_t{4096}}));
  char* p = cur_;
  cur_ += n;
  left_ -= n;
  used_ += n;
  return p;
}

void RecordBatch::Reserve(size_t records, size_t string_bytes) {
  records_.reserve(records_.size() + records);
  arena_.Reserve(string_bytes);
}

void RecordBatch::Add(const RecordView& record) {
  RecordView& copy = records_.emplace_back(record);
  std::string_view* fields[] = {&copy.txn,  &copy.ret,    &copy.sys, &copy.svc_sys, &copy.svc_ret,
                                &copy.node, &copy.serial, &copy.org, &copy.msg};
  size_t total = 0;
  for (const std::string_view* f : fields) total += f->size();
  if (total == 0) return;
  char* p = arena_.Allocate(total);
  for (std::string_view* f : fields) {
    if (f->empty()) continue;
    std::memcpy(p, f->data(), f->size());
    *f = std::string_view(p, f->size());
    p += f->size();
  }
}

void RecordBatch::MarkApplied() {
  if (!on_applied) return;
  std::function<void()> callback = std::move(on_applied);
  on_applied = nullptr;
  callback();
}

std::string FormatParseError(const ParseError& error, int64_t line) {
  const char* reason = RejectReasonName(error.reason);
  if (error.field.empty()) return fmt::format("line {}: {}: {}", line, reason, error.detail);
  return fmt::format("line {}: {} ({}): {}", line, reason, error.field, error.detail);
}

namespace {

// About how many lines `input` has, from the length of its first few lines: counting every
// newline would cost a tenth of the parsing, and growing the vector a little is cheap.
size_t EstimateLines(std::string_view input) {
  constexpr int kSample = 8;
  size_t pos = 0;
  int seen = 0;
  while (seen < kSample && pos < input.size()) {
    const void* nl = std::memchr(input.data() + pos, '\n', input.size() - pos);
    if (nl == nullptr) break;
    pos = static_cast<const char*>(nl) - input.data() + 1;
    ++seen;
  }
  if (seen < kSample) return seen + 1;  // the sample was the whole input
  const size_t average = std::max<size_t>(pos / kSample, 1);
  return input.size() / average + input.size() / average / 8 + 1;  // +1/8 for shorter lines
}

}  // namespace

void RecordBatchBuilder::ReserveFor(std::string_view input) {
  // Strings are never longer than the text they were read from, so the arena never grows.
  batch_.Reserve(EstimateLines(input), input.size());
}

void RecordBatchBuilder::OnReject(const ParseError& error, int64_t line) {
  Tally(error, line + line_offset_);
}

void RecordBatchBuilder::AddReject(RejectReason reason, std::string_view detail, int64_t line) {
  ParseError error;
  error.reason = reason;
  error.detail = std::string(detail);
  Tally(error, line);
}

void RecordBatchBuilder::Tally(const ParseError& error, int64_t line) {
  rejects_.Add(error.reason);
  if (errors_.size() < max_errors_) errors_.push_back(FormatParseError(error, line));
}

RecordBatch RecordBatchBuilder::TakeBatch() { return std::exchange(batch_, RecordBatch()); }

void RecordBatchBuilder::ClearRejects() {
  rejects_ = RejectTally();
  errors_.clear();
}

ParsedBatch ParseToBatch(std::string_view data, const ReaderOptions& options, size_t max_errors) {
  RecordBatchBuilder builder(max_errors);
  builder.ReserveFor(data);
  ParsedBatch out;
  ParseBuffer(data, options, &builder, &out.stats);
  out.batch = builder.TakeBatch();
  out.batch.input_bytes = static_cast<int64_t>(data.size());
  out.rejects = builder.rejects();
  out.errors = builder.errors();
  return out;
}

}  // namespace vigil
