// Splits a byte stream (a socket, a growing file) into complete lines, holding at most one
// partial line, and never more than `max_line_bytes` of it: a longer line is reported once and
// its bytes are dropped up to its newline, then the stream goes on.
//
// Use: read into write_ptr() / write_room(), then Commit(n) and parse what it returns (the
// lines are in place; the view is valid until the next write_ptr() call).
// Thread safety: none (one per stream).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace vigil {

class LineBuffer {
 public:
  struct Lines {
    std::string_view complete;  // whole lines, each ending with '\n'; may be empty
    int64_t first_line = 0;     // 1-based number of the first line of `complete`
    // A line found longer than the limit after `complete` (its number; 0 for none). Its bytes
    // are being dropped.
    int64_t too_long_line = 0;
  };

  // `read_bytes` is the most one Commit may add.
  LineBuffer(size_t max_line_bytes, size_t read_bytes);

  char* write_ptr();  // makes room first: moves the partial line to the front
  size_t write_room() const { return read_bytes_; }
  Lines Commit(size_t n);

  // The partial line held (none while an over-long line is being dropped).
  std::string_view pending() const;
  // Forgets the partial line (e.g. its connection closed, its file was finished).
  void DropPending();

  // Lines completed so far (over-long ones included once their newline came).
  int64_t lines() const { return lines_; }
  // Bytes of the stream up to the end of the last completed line: where to resume.
  int64_t consumed_bytes() const { return consumed_; }

 private:
  size_t max_line_, read_bytes_;
  std::vector<char> buf_;
  size_t begin_ = 0, end_ = 0;  // the partial line: buf_[begin_, end_)
  bool skipping_ = false;       // dropping the rest of an over-long line
  size_t skipped_ = 0;          // bytes of it dropped so far
  int64_t lines_ = 0;
  int64_t consumed_ = 0;
};

}  // namespace vigil
