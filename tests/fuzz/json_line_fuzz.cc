// libFuzzer target: JsonRecordParser::Parse on one arbitrary line (must never crash, read out
// of bounds, or accept a record that breaks the contract), and the RFC 3339 minute memo
// against ParseRfc3339Ms.
#include <cstdint>

#include "fuzz_util.h"
#include "ingest/parse.h"
#include "ingest/parse_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  static JsonRecordParser parser;  // reused, as in the reader
  fuzz::PaddedCopy line(data, size);
  RecordView r;
  ParseError err;
  if (parser.Parse(line.view(), &r, &err)) {
    fuzz::CheckRecord(r);
  } else {
    fuzz::CheckError(err);
  }
  // The memo must agree with the plain parser, whatever came before.
  TimeMs memo = 0, plain = 0;
  TimeParse a = ingest_internal::ParseTimeMemo(line.view(), &memo);
  TimeParse b = ParseRfc3339Ms(line.view(), &plain);
  fuzz::Check(a == b && (a != TimeParse::kOk || memo == plain), "memo == ParseRfc3339Ms");
  return 0;
}
