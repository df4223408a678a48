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
/// Writes all of data to fd (a file, a pipe to `tail -f`, a terminal), waiting while it is
/// full; false when it refuses the bytes, or (give_up_after_stall) stays full for a second.
bool write_blocking(int fd, const char* data, std::size_t size, bool give_up_after_stall);

} // namespace ipcat
