// Parse throughput of one record line (JSON Lines and CSV), of ParseBuffer over a few thousand
// realistic lines, and of ReadRecords over a file (plain and gzip). Reports records/s and
// bytes/s; run by bench/run.sh.
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "ingest/parse.h"
#include "ingest/reader.h"

namespace vigil {
namespace {

constexpr int kLines = 4000;
constexpr const char* kTxns[] = {"A001", "A002", "A005", "B101", "C300", "D017", "E220", "F001"};
constexpr const char* kRets[] = {"000000", "000000", "000000", "E10023", "S99001"};

std::string JsonLines() {
  std::string out;
  for (int i = 0; i < kLines; ++i) {
    out += fmt::format(
        R"({{"ts":"2026-11-20T15:{:02d}:{:02d}.{:03d}+08:00","txn":"{}","ret":"{}",)"
        R"("dur_ms":{},"sys":"MBNK","svc_sys":"ACCT","svc_ret":"0000","node":"app{:02d}",)"
        R"("serial":"MB202611201508{:08d}","org":"0{}01","amount":{}.{:02d}{}}})",
        i / 60 % 60, i % 60, i * 7 % 1000, kTxns[i % 8], kRets[i % 5], 5 + i * 13 % 900, i % 12, i,
        i % 9, i * 37 % 100000, i % 100, i % 50 == 0 ? R"(,"msg":"余额不足")" : "");
    out += '\n';
  }
  return out;
}

std::string CsvLines() {
  std::string out = "ts,txn,ret,dur_ms,sys,svc_sys,svc_ret,node,serial,org,amount,msg\n";
  for (int i = 0; i < kLines; ++i) {
    out += fmt::format(
        "2026-11-20T15:{:02d}:{:02d}.{:03d}+08:00,{},{},{},MBNK,ACCT,0000,app{:02d},"
        "MB202611201508{:08d},0{}01,{}.{:02d},{}\n",
        i / 60 % 60, i % 60, i * 7 % 1000, kTxns[i % 8], kRets[i % 5], 5 + i * 13 % 900, i % 12, i,
        i % 9, i * 37 % 100000, i % 100, i % 50 == 0 ? "\"余额不足, 请核对\"" : "");
  }
  return out;
}

// The lines of `data`, each still followed by its newline and the rest of the buffer (the
// buffer itself ends with padding), as the reader hands them to the parsers.
std::vector<std::string_view> SplitLines(std::string_view data) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    lines.push_back(data.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

class CountingSink : public RecordSink {
 public:
  void OnRecord(const RecordView& r, int64_t) override { sum += r.time; }
  void OnReject(const ParseError&, int64_t) override { ++rejects; }
  int64_t sum = 0, rejects = 0;
};

void Report(benchmark::State& state, size_t bytes, size_t records) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * records));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

void BM_JsonParseLine(benchmark::State& state) {
  std::string data = JsonLines() + std::string(kParsePadding, '\0');
  std::vector<std::string_view> lines =
      SplitLines(std::string_view(data).substr(0, data.size() - kParsePadding));
  JsonRecordParser parser;
  RecordView r;
  ParseError err;
  for (auto _ : state) {
    for (std::string_view line : lines) {
      if (!parser.Parse(line, &r, &err)) state.SkipWithError(err.detail.c_str());
      benchmark::DoNotOptimize(r.time);
    }
  }
  Report(state, data.size() - kParsePadding, lines.size());
}
BENCHMARK(BM_JsonParseLine);

void BM_CsvParseLine(benchmark::State& state) {
  std::string data = CsvLines() + std::string(kParsePadding, '\0');
  std::vector<std::string_view> lines =
      SplitLines(std::string_view(data).substr(0, data.size() - kParsePadding));
  CsvRecordParser parser;
  RecordView r;
  ParseError err;
  if (!parser.SetHeader(lines[0], &err)) state.SkipWithError(err.detail.c_str());
  lines.erase(lines.begin());
  for (auto _ : state) {
    for (std::string_view line : lines) {
      if (!parser.Parse(line, &r, &err)) state.SkipWithError(err.detail.c_str());
      benchmark::DoNotOptimize(r.time);
    }
  }
  Report(state, data.size() - kParsePadding, lines.size());
}
BENCHMARK(BM_CsvParseLine);

void BM_ParseBuffer(benchmark::State& state, std::string data) {
  CountingSink sink;
  for (auto _ : state) {
    ParseBuffer(data, {}, &sink, nullptr);
  }
  if (sink.rejects != 0) state.SkipWithError("unexpected rejections");
  Report(state, data.size(), kLines);
}
BENCHMARK_CAPTURE(BM_ParseBuffer, jsonl, JsonLines());
BENCHMARK_CAPTURE(BM_ParseBuffer, csv, CsvLines());

// ReadRecords over a file of 25 copies of the JSON lines (100,000 records), plain or gzip.
void BM_ReadRecords(benchmark::State& state, bool gzip) {
  std::string data;
  for (int i = 0; i < 25; ++i) data += JsonLines();
  char dir_template[] = "/tmp/vigil_parse_bench_XXXXXX";
  std::string dir = mkdtemp(dir_template);
  std::string path = dir + (gzip ? "/records.jsonl.gz" : "/records.jsonl");
  gzFile f = gzopen(path.c_str(), gzip ? "wb6" : "wbT");  // "T": plain, no compression
  gzwrite(f, data.data(), static_cast<unsigned>(data.size()));
  gzclose(f);
  CountingSink sink;
  for (auto _ : state) {
    if (!ReadRecords(path, {}, &sink, nullptr).ok()) state.SkipWithError("read failed");
  }
  std::remove(path.c_str());
  rmdir(dir.c_str());
  Report(state, data.size(), 25 * kLines);
}
BENCHMARK_CAPTURE(BM_ReadRecords, jsonl_file, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ReadRecords, jsonl_gzip_file, true)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vigil

BENCHMARK_MAIN();
