#include "line_framer.hpp"

#include <algorithm>

namespace ipcat {

LineFramer::LineFramer(std::size_t max_line) : m_max_line(std::max<std::size_t>(max_line, 1)) {}

void LineFramer::feed(std::string_view bytes) {
  if (bytes.empty()) {
    return;
  }
  // Move what is left to the front before growing, so the buffer never holds more than the
  // unconsumed bytes plus what is being added.
  if (m_start != 0) {
    m_buf.erase(0, m_start);
    m_lines_end -= m_start;
    m_start = 0;
  }
  const std::size_t old = m_buf.size();
  m_buf.append(bytes);
  const auto nl = bytes.rfind('\n');
  if (nl != std::string_view::npos) {
    m_lines_end = old + nl + 1;
  }
}

std::string_view LineFramer::lines(std::size_t max) const {
  const std::string_view whole(m_buf.data() + m_start, m_lines_end - m_start);
  if (whole.size() <= max) {
    return whole;
  }
  if (max == 0) {
    return {};
  }
  const auto nl = whole.rfind('\n', max - 1);
  if (nl != std::string_view::npos) {
    return whole.substr(0, nl + 1);
  }
  return whole.substr(0, max);
}

std::string_view LineFramer::line() const {
  const std::string_view whole(m_buf.data() + m_start, m_lines_end - m_start);
  const auto nl = whole.find('\n');
  return nl == std::string_view::npos ? std::string_view() : whole.substr(0, nl + 1);
}

std::string_view LineFramer::ready(std::size_t max) const {
  if (has_line()) {
    return lines(max);
  }
  if (over_limit()) {
    return all().substr(0, max);
  }
  return {};
}

std::string_view LineFramer::all() const {
  return {m_buf.data() + m_start, m_buf.size() - m_start};
}

void LineFramer::consume(std::size_t n) {
  n = std::min(n, size());
  if (n == 0) {
    return;
  }
  m_start += n;
  m_mid_line = m_buf[m_start - 1] != '\n';
  m_lines_end = std::max(m_lines_end, m_start);
  if (m_start == m_buf.size()) {
    m_buf.clear();
    m_start = 0;
    m_lines_end = 0;
  }
}

std::string LineFramer::take_partial() {
  std::string partial = m_buf.substr(m_lines_end);
  m_buf.resize(m_lines_end);
  if (m_start == m_buf.size()) {
    m_buf.clear();
    m_start = 0;
    m_lines_end = 0;
  }
  return partial;
}

void LineFramer::clear() {
  m_buf.clear();
  m_start = 0;
  m_lines_end = 0;
  m_mid_line = false;
}

} // namespace ipcat
