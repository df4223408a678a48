// Cutting a byte stream into lines: the one place that decides what a whole line is, how long
// a partial line may grow in memory, and what comes out when that bound is reached. Pure: no
// descriptors, no waiting; the endpoints that need whole lines (FIFO and file writers, the file
// follower) feed it and write out what it hands back.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ipcat {

/// Holds bytes and hands out whole lines; a partial line is held until its newline comes, until
/// it reaches the bound (then it goes out in pieces) or until the caller takes it at the end.
class LineFramer {
public:
  /// The longest partial line held in memory; a longer line is handed out in pieces.
  static constexpr std::size_t k_max_line = std::size_t{1} << 20;
  /// "No limit" for the max arguments below.
  static constexpr std::size_t npos = std::string_view::npos;

  /// A framer whose partial lines are bounded by max_line bytes (k_max_line unless a test
  /// wants a small bound).
  explicit LineFramer(std::size_t max_line = k_max_line);

  /// Appends bytes.
  void feed(std::string_view bytes);

  /// The whole lines at the front, as many as fit in max bytes; when the first line alone is
  /// longer than max, its first max bytes (a piece). Empty when no line is complete.
  [[nodiscard]] std::string_view lines(std::size_t max = npos) const;
  /// The first whole line, newline included; empty when no line is complete.
  [[nodiscard]] std::string_view line() const;
  /// What may go out now: lines(max), or when no line is complete and the partial line has
  /// reached the bound, its first max bytes.
  [[nodiscard]] std::string_view ready(std::size_t max = npos) const;
  /// Everything held, whole lines and the partial line (at the end of the input).
  [[nodiscard]] std::string_view all() const;
  /// Drops the first n bytes held (after they were written out).
  void consume(std::size_t n);

  /// True when at least one whole line is held.
  [[nodiscard]] bool has_line() const { return m_lines_end > m_start; }
  /// True when bytes after the last whole line are held.
  [[nodiscard]] bool has_partial() const { return partial_size() != 0; }
  /// The number of bytes after the last whole line.
  [[nodiscard]] std::size_t partial_size() const { return m_buf.size() - m_lines_end; }
  /// True when the partial line has reached the bound and must go out in pieces.
  [[nodiscard]] bool over_limit() const { return partial_size() >= m_max_line; }
  /// Removes the partial line and returns it; the whole lines before it stay held.
  std::string take_partial();
  /// True when the bytes consumed so far end inside a line (a piece went out, its newline has
  /// not): a writer that locks per line keeps its lock.
  [[nodiscard]] bool mid_line() const { return m_mid_line; }
  /// The number of bytes held.
  [[nodiscard]] std::size_t size() const { return m_buf.size() - m_start; }
  /// True when nothing is held.
  [[nodiscard]] bool empty() const { return size() == 0; }
  /// Forgets everything held, and that a line was started (the stream starts over).
  void clear();

private:
  std::size_t m_max_line;
  std::string m_buf;
  std::size_t m_start = 0;     // bytes before this were consumed
  std::size_t m_lines_end = 0; // one past the last newline held (m_start when none)
  bool m_mid_line = false;
};

} // namespace ipcat
