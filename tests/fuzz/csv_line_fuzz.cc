// libFuzzer target: CsvRecordParser on an arbitrary header (the input up to its first newline)
// and row (the rest), or on a fixed header when there is no newline.
#include <cstdint>
#include <cstring>

#include "fuzz_util.h"
#include "ingest/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  static constexpr char kHeader[] = "ts,txn,ret,dur_ms,end_ts,sys,msg,amount,phase,x";
  const void* nl = std::memchr(data, '\n', size);
  size_t header_size = nl ? static_cast<const uint8_t*>(nl) - data : sizeof(kHeader) - 1;
  const uint8_t* header_data = nl ? data : reinterpret_cast<const uint8_t*>(kHeader);
  const uint8_t* row_data = nl ? data + header_size + 1 : data;
  size_t row_size = nl ? size - header_size - 1 : size;

  CsvRecordParser parser;
  fuzz::PaddedCopy header(header_data, header_size);
  fuzz::PaddedCopy row(row_data, row_size);
  RecordView r;
  ParseError err;
  if (!parser.SetHeader(header.view(), &err)) fuzz::CheckError(err);
  for (int i = 0; i < 2; ++i) {  // twice: the parser's buffers are reused
    if (parser.Parse(row.view(), &r, &err)) {
      fuzz::CheckRecord(r);
    } else {
      fuzz::CheckError(err);
    }
  }
  return 0;
}
