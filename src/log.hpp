// One-line messages on stderr: errors ("ipcat: what: why") and -v events.
#pragma once

#include <string>

namespace ipcat {

/// Turns -v events on or off (off by default).
void set_verbose(bool on);
/// True when -v is on.
bool verbose();
/// Prints one -v event line ("Listening on unix:/tmp/s") when -v is on.
void log_event(const std::string& line);
/// Prints "ipcat: message" on stderr.
void log_error(const std::string& message);
/// Writes all of data to stderr, ignoring failures (stderr may be closed or full).
void write_stderr(const char* data, std::size_t size);

} // namespace ipcat
