// LineBuffer: one buffer of read_bytes + max_line_bytes; the partial line moves to the front
// before each read, so a read always has read_bytes of room.
#include "ingest/line_buffer.h"

#include <algorithm>
#include <cstring>

namespace vigil {

LineBuffer::LineBuffer(size_t max_line_bytes, size_t read_bytes)
    : max_line_(max_line_bytes),
      read_bytes_(std::max<size_t>(read_bytes, 1)),
      buf_(read_bytes_ + max_line_ + 2) {}

char* LineBuffer::write_ptr() {
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  return buf_.data() + end_;
}

LineBuffer::Lines LineBuffer::Commit(size_t n) {
  Lines out;
  size_t start = end_;  // where the new bytes begin
  end_ += n;
  if (skipping_) {
    const void* nl = std::memchr(buf_.data() + start, '\n', end_ - start);
    if (nl == nullptr) {
      skipped_ += n;
      begin_ = end_ = 0;  // still inside the over-long line: drop what came
      return out;
    }
    size_t after = static_cast<const char*>(nl) - buf_.data() + 1;
    skipping_ = false;
    ++lines_;
    consumed_ += static_cast<int64_t>(skipped_ + (after - start));
    skipped_ = 0;
    begin_ = start = after;
  }
  // The last newline among the new bytes ends the complete lines.
  const char* base = buf_.data();
  const void* last = memrchr(base + start, '\n', end_ - start);
  out.first_line = lines_ + 1;
  if (last != nullptr) {
    size_t stop = static_cast<const char*>(last) - base + 1;
    out.complete = std::string_view(base + begin_, stop - begin_);
    lines_ += std::count(out.complete.begin(), out.complete.end(), '\n');
    consumed_ += static_cast<int64_t>(out.complete.size());
    begin_ = stop;
  }
  if (end_ - begin_ > max_line_ + 1) {  // +1: room for a \r before the \n
    out.too_long_line = lines_ + 1;
    skipping_ = true;
    skipped_ = end_ - begin_;
    begin_ = end_ = 0;
  }
  return out;
}

std::string_view LineBuffer::pending() const {
  return std::string_view(buf_.data() + begin_, end_ - begin_);
}

void LineBuffer::DropPending() {
  begin_ = end_ = 0;
  skipping_ = false;
  skipped_ = 0;
}

}  // namespace vigil
