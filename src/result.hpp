// Small result type for the pure parsers: a value, or a usage error message.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace ipcat {

/// A usage error: one sentence, without the "ipcat: " prefix.
struct UsageError {
  std::string message;
};

/// Either a parsed value or a UsageError (std::expected is not in g++ 12).
template <class T> class Result {
public:
  Result(T value) : m_v(std::move(value)) {}          // NOLINT: implicit by design
  Result(UsageError error) : m_v(std::move(error)) {} // NOLINT: implicit by design

  /// True when a value is held.
  [[nodiscard]] bool ok() const { return m_v.index() == 0; }
  explicit operator bool() const { return ok(); }
  /// The held value; only when ok().
  T& value() { return std::get<0>(m_v); }
  const T& value() const { return std::get<0>(m_v); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  /// The error message; only when !ok().
  [[nodiscard]] const std::string& error() const { return std::get<1>(m_v).message; }

private:
  std::variant<T, UsageError> m_v;
};

/// Builds a UsageError from parts, e.g. fail("invalid port '", s, "'").
template <class... Parts> UsageError fail(const Parts&... parts) {
  std::string s;
  (s.append(parts), ...);
  return UsageError{std::move(s)};
}

} // namespace ipcat
