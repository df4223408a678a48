#include "stream.hpp"

#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ipcat {

std::string Stream::error_text(int err) const {
  return errno_text(err);
}

void Waiter::attach(asio::io_context& io, int fd) {
  asio::posix::stream_descriptor sd(io);
  asio::error_code ec;
  sd.assign(fd, ec);
  if (!ec) {
    m_sd.emplace(std::move(sd));
  }
  // EPERM: epoll refuses regular files and some devices; such a descriptor is always ready.
}

Waiter::~Waiter() {
  release();
}

void Waiter::release() {
  if (m_sd) {
    // The descriptor belongs to an Fd elsewhere: stop watching it, never close it here.
    m_sd->release();
    m_sd.reset();
  }
}

void Waiter::cancel() {
  m_cancelled = true;
  if (m_sd) {
    asio::error_code ec;
    m_sd->cancel(ec);
  }
}

asio::awaitable<int> Waiter::wait(asio::posix::descriptor_base::wait_type type) {
  if (m_cancelled) {
    co_return ECANCELED;
  }
  if (!m_sd) {
    co_return 0;
  }
  auto [ec] = co_await m_sd->async_wait(type, asio::experimental::as_tuple(asio::use_awaitable));
  if (m_cancelled || ec == asio::error::operation_aborted) {
    co_return ECANCELED;
  }
  co_return ec ? ec.value() : 0;
}

FdStream::FdStream(asio::io_context& io, std::string name, int rfd, int wfd, StreamTraits traits)
    : Stream(traits), m_io(io), m_name(std::move(name)), m_rfd(rfd), m_wfd(wfd), m_wwait(&m_rwait) {
  m_rwait.attach(io, rfd >= 0 ? rfd : wfd);
  if (rfd >= 0 && wfd >= 0 && wfd != rfd) {
    m_wwait_own.attach(io, wfd);
    m_wwait = &m_wwait_own;
  }
}

void FdStream::release_write_waiter() {
  if (m_wwait != &m_rwait) {
    m_wwait->release();
  }
}

ssize_t FdStream::read_once(char* buf, std::size_t n) {
  return ::read(m_rfd, buf, n);
}

ssize_t FdStream::write_once(const char* buf, std::size_t n) {
  return ::write(m_wfd, buf, n);
}

asio::awaitable<IoResult> FdStream::read(std::span<char> buf) {
  for (;;) {
    if (m_cancelled) {
      co_return IoResult{-1, ECANCELED};
    }
    const ssize_t n = read_once(buf.data(), buf.size());
    if (n >= 0) {
      co_return IoResult{n, 0};
    }
    const int err = errno;
    if (err == EINTR) {
      continue;
    }
    if (err != EAGAIN && err != EWOULDBLOCK) {
      co_return IoResult{-1, err};
    }
    const int w = co_await m_rwait.wait(asio::posix::descriptor_base::wait_read);
    if (w != 0) {
      co_return IoResult{-1, w};
    }
  }
}

asio::awaitable<IoResult> FdStream::write(std::span<const char> buf) {
  for (;;) {
    if (m_cancelled) {
      co_return IoResult{-1, ECANCELED};
    }
    if (m_wfd < 0) {
      co_return IoResult{-1, EBADF};
    }
    const ssize_t n = write_once(buf.data(), buf.size());
    if (n > 0 || (n == 0 && buf.empty())) {
      co_return IoResult{n, 0}; // an empty write is done once it went through (a datagram)
    }
    const int err = n == 0 ? EAGAIN : errno;
    if (err == EINTR) {
      continue;
    }
    if (err != EAGAIN && err != EWOULDBLOCK) {
      co_return IoResult{-1, err};
    }
    const int w = co_await m_wwait->wait(asio::posix::descriptor_base::wait_write);
    if (w != 0) {
      co_return IoResult{-1, w};
    }
  }
}

asio::awaitable<int> FdStream::wait_readable() {
  if (m_cancelled) {
    co_return ECANCELED;
  }
  const int w = co_await m_rwait.wait(asio::posix::descriptor_base::wait_read);
  co_return w;
}

asio::awaitable<int> FdStream::wait_writable() {
  if (m_cancelled) {
    co_return ECANCELED;
  }
  const int w = co_await m_wwait->wait(asio::posix::descriptor_base::wait_write);
  co_return w;
}

bool FdStream::input_pending() const {
  if (m_rfd < 0) {
    return false;
  }
  struct stat st {};
  if (::fstat(m_rfd, &st) == 0 && S_ISREG(st.st_mode)) {
    const off_t at = ::lseek(m_rfd, 0, SEEK_CUR);
    return at >= 0 && at < st.st_size;
  }
  int waiting = 0;
  return ::ioctl(m_rfd, FIONREAD, &waiting) == 0 && waiting > 0;
}

void FdStream::cancel() {
  m_cancelled = true;
  m_rwait.cancel();
  if (m_wwait != &m_rwait) {
    m_wwait->cancel();
  }
}

} // namespace ipcat
