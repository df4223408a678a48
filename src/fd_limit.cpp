#include "fd_limit.hpp"

namespace ipcat {

namespace {
rlimit g_original{};
rlimit g_raised{};
bool g_changed = false;
} // namespace

void raise_fd_limit() {
  if (::getrlimit(RLIMIT_NOFILE, &g_original) != 0 || g_original.rlim_cur >= g_original.rlim_max) {
    return;
  }
  g_raised = g_original;
  g_raised.rlim_cur = g_original.rlim_max;
  g_changed = ::setrlimit(RLIMIT_NOFILE, &g_raised) == 0;
}

OriginalFdLimit::OriginalFdLimit() {
  m_lowered = g_changed && ::setrlimit(RLIMIT_NOFILE, &g_original) == 0;
}

OriginalFdLimit::~OriginalFdLimit() {
  if (m_lowered) {
    ::setrlimit(RLIMIT_NOFILE, &g_raised);
  }
}

} // namespace ipcat
