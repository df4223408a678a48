// The descriptor limit: raised to the hard limit for ipcat itself (every client of a -k
// listener costs descriptors, and epoll has no FD_SETSIZE), the original kept for children.
#pragma once

#include <sys/resource.h>

namespace ipcat {

/// Raises the soft RLIMIT_NOFILE to the hard limit and remembers the original soft limit.
void raise_fd_limit();

/// While alive, the soft limit is the one ipcat started with, so a child started meanwhile
/// inherits what its parent gave ipcat (ipcat is single-threaded: nothing else opens
/// descriptors in between).
class OriginalFdLimit {
public:
  OriginalFdLimit();
  ~OriginalFdLimit();
  OriginalFdLimit(const OriginalFdLimit&) = delete;
  OriginalFdLimit& operator=(const OriginalFdLimit&) = delete;

private:
  bool m_lowered = false;
};

} // namespace ipcat
