// serial:PATH: a serial line set up with termios (raw, 8N1 unless the address says otherwise).
// Like a pty, a line has no half-close and never ends by itself; a hangup (EIO) is its end.
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "log.hpp"
#include "pty_stream.hpp"

namespace ipcat {

namespace {

class SerialStream : public FdStream {
public:
  SerialStream(asio::io_context& io, std::string name, Fd fd)
      : FdStream(io, std::move(name), fd.get(), fd.get(), serial_traits()), m_fd(std::move(fd)) {}

  ~SerialStream() override { m_rwait.release(); }

  void shutdown_write() override {}

protected:
  ssize_t read_once(char* buf, std::size_t n) override {
    const ssize_t got = FdStream::read_once(buf, n);
    return got < 0 && errno == EIO ? 0 : got; // the line hung up: its end
  }

private:
  static StreamTraits serial_traits() {
    StreamTraits t;
    t.zero_copy = false; // splice() refuses terminals
    return t;
  }

  Fd m_fd;
};

tcflag_t size_flag(unsigned databits) {
  switch (databits) {
  case 5:
    return CS5;
  case 6:
    return CS6;
  case 7:
    return CS7;
  default:
    return CS8;
  }
}

} // namespace

std::unique_ptr<Stream> open_serial(asio::io_context& io, const Address& a) {
  const std::string what = "serial " + a.path;
  Fd fd(::open(a.path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) {
    throw_errno(what, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    throw_errno(what, errno);
  }
  if (!S_ISCHR(st.st_mode) || ::isatty(fd.get()) == 0) {
    throw Error(what, "not a terminal device (a " + file_type_name(st.st_mode) + ")");
  }
  termios t{};
  if (::tcgetattr(fd.get(), &t) != 0) {
    throw_errno(what, errno);
  }
  const SerialSettings& s = a.options.term.serial;
  cfmakeraw(&t);
  t.c_cflag &= ~static_cast<tcflag_t>(CSIZE | CSTOPB | PARENB | PARODD | CRTSCTS);
  t.c_cflag |= size_flag(s.databits) | CLOCAL | CREAD;
  if (s.stopbits == 2) {
    t.c_cflag |= CSTOPB;
  }
  if (s.parity != Parity::None) {
    t.c_cflag |= PARENB;
    t.c_iflag |= INPCK; // cfmakeraw turned parity checking off with the rest
    if (s.parity == Parity::Odd) {
      t.c_cflag |= PARODD;
    }
  }
  t.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
  if (s.flow == Flow::RtsCts) {
    t.c_cflag |= CRTSCTS;
  } else if (s.flow == Flow::XonXoff) {
    t.c_iflag |= IXON | IXOFF;
  }
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  if (s.speed) {
    // The parser only lets termios speeds through.
    const speed_t code = serial_speed(*s.speed).value_or(B9600);
    cfsetispeed(&t, code);
    cfsetospeed(&t, code);
  }
  if (::tcsetattr(fd.get(), TCSANOW, &t) != 0) {
    throw_errno(what, errno);
  }
  log_event("Serial line " + a.path +
            (s.speed ? " at " + std::to_string(*s.speed) + " bit/s" : std::string()));
  return std::make_unique<SerialStream>(io, "serial:" + a.path, std::move(fd));
}

} // namespace ipcat
