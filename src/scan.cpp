#include "scan.hpp"

#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <cstring>
#include <exception>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "fd.hpp"
#include "log.hpp"
#include "resolve.hpp"
#include "stream.hpp"

namespace ipcat {

namespace {

using asio::experimental::as_tuple;
using namespace asio::experimental::awaitable_operators;

// Probes at once: enough to scan a thousand closed ports in well under a second on a LAN,
// few enough to stay far from the descriptor limit and not to flood a host's backlog.
constexpr std::size_t k_parallel = 64;

// The byte a UDP probe sends (nc.openbsd sends "X" too).
constexpr char k_udp_probe = 'X';

struct PortResult {
  bool done = false;
  bool open = false;
  std::vector<std::string> lines;
};

struct ScanState {
  const ScanRequest& r;
  const addrinfo* targets;
  const addrinfo* source;
  std::vector<PortResult> results;
  std::size_t next_probe = 0;
  std::size_t next_report = 0;
  std::size_t running = 0;
  std::exception_ptr error;
};

std::string numeric_host(const addrinfo& ai) {
  char host[NI_MAXHOST] = {};
  if (::getnameinfo(ai.ai_addr, ai.ai_addrlen, host, sizeof(host), nullptr, 0, NI_NUMERICHOST) !=
      0) {
    return "?";
  }
  return host;
}

// nc.openbsd names a host as written, followed by its address when that differs: "localhost
// (127.0.0.1)".
std::string shown_host(const std::string& host, const addrinfo& ai) {
  const std::string ip = numeric_host(ai);
  return host == ip ? host : host + " (" + ip + ")";
}

std::string service_name(std::uint16_t port, bool udp) {
  const servent* s = ::getservbyport(htons(port), udp ? "udp" : "tcp");
  return s != nullptr ? s->s_name : "*";
}

// One probe of one address: 0 when something answers (TCP: the connection is made; UDP: no
// ICMP port unreachable came back in time), else the errno value.
asio::awaitable<int> probe(asio::io_context& io, const ScanState& st, const addrinfo& ai,
                           std::uint16_t port) {
  sockaddr_storage target{};
  std::memcpy(&target, ai.ai_addr, ai.ai_addrlen);
  if (ai.ai_family == AF_INET) {
    reinterpret_cast<sockaddr_in*>(&target)->sin_port = htons(port);
  } else {
    reinterpret_cast<sockaddr_in6*>(&target)->sin6_port = htons(port);
  }
  Fd fd(::socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai.ai_protocol));
  if (!fd.valid()) {
    co_return errno;
  }
  apply_socket_options(fd.get(), ai.ai_family, st.r.sock, "connect");
  if (st.source != nullptr) {
    const int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (::bind(fd.get(), st.source->ai_addr, st.source->ai_addrlen) != 0) {
      co_return errno;
    }
  }
  int err = 0;
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&target), ai.ai_addrlen) != 0) {
    err = errno;
  }
  if (err != 0 && err != EINPROGRESS) {
    co_return err;
  }
  if (st.r.udp && ::send(fd.get(), &k_udp_probe, 1, MSG_DONTWAIT) < 0) {
    co_return errno;
  }
  if (err == 0 && !st.r.udp) {
    co_return 0;
  }
  Waiter w;
  w.attach(io, fd.get());
  asio::steady_timer timer(io, st.r.timeout);
  const auto what =
      st.r.udp ? asio::posix::descriptor_base::wait_read : asio::posix::descriptor_base::wait_write;
  auto ready = co_await (w.wait(what) || timer.async_wait(as_tuple(asio::use_awaitable)));
  w.release();
  if (st.r.udp) {
    // Silence is an open port (or a filtered one: UDP cannot tell), as for nc.openbsd; only
    // an ICMP port unreachable, pending on the socket, says closed.
    char byte = 0;
    if (::recv(fd.get(), &byte, 1, MSG_DONTWAIT) < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      co_return errno;
    }
    co_return 0;
  }
  if (ready.index() != 0) {
    co_return ETIMEDOUT;
  }
  err = std::get<0>(ready);
  if (err == 0) {
    socklen_t len = sizeof(err);
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
  }
  co_return err;
}

// Probes one port on each address of the host in turn, as nc.openbsd does, until one answers.
asio::awaitable<void> probe_port(asio::io_context& io, ScanState& st, std::size_t index) {
  const std::uint16_t port = st.r.ports[index];
  const char* proto = st.r.udp ? "udp" : "tcp";
  PortResult& out = st.results[index];
  for (const addrinfo* ai = st.targets; ai != nullptr; ai = ai->ai_next) {
    const int err = co_await probe(io, st, *ai, port);
    if (err == 0) {
      out.open = true;
      out.lines.push_back("Connection to " + shown_host(st.r.host, *ai) + " " +
                          std::to_string(port) + " port [" + proto + "/" +
                          service_name(port, st.r.udp) + "] succeeded!");
      break;
    }
    if (!st.r.udp) {
      // nc.openbsd says nothing of a closed UDP port: only the status tells.
      out.lines.push_back("ipcat: connect to " + shown_host(st.r.host, *ai) + " port " +
                          std::to_string(port) + " (" + proto + ") failed: " + errno_text(err));
    }
  }
  out.done = true;
}

// Prints the lines of the ports done so far, in order: a port waits for those before it.
void report_ready(ScanState& st) {
  while (st.next_report < st.results.size() && st.results[st.next_report].done) {
    if (st.r.verbose) {
      for (const auto& line : st.results[st.next_report].lines) {
        const std::string text = line + "\n";
        write_stderr(text.data(), text.size());
      }
    }
    ++st.next_report;
  }
}

asio::awaitable<void> worker(asio::io_context& io, ScanState& st) {
  while (st.next_probe < st.r.ports.size() && !st.error) {
    const std::size_t index = st.next_probe++;
    co_await probe_port(io, st, index);
    report_ready(st);
  }
}

AddrInfoList resolve_or_throw(const std::string& host, const std::string& port, int family,
                              int socktype, int flags, const std::string& what, bool numeric) {
  LookupError error;
  AddrInfoList list = lookup(host, port, family, socktype, flags, error);
  if (!list) {
    throw Error(what, error.why + (numeric ? " (-n: numeric addresses only)" : ""), 1, error.err);
  }
  return list;
}

} // namespace

asio::awaitable<int> run_scan(asio::io_context& io, const ScanRequest& r) {
  const int socktype = r.udp ? SOCK_DGRAM : SOCK_STREAM;
  const int family = r.family == Family::V4   ? AF_INET
                     : r.family == Family::V6 ? AF_INET6
                                              : AF_UNSPEC;
  const int numeric = r.sock.numeric ? AI_NUMERICHOST : 0;
  const std::string port0 = r.ports.empty() ? "0" : std::to_string(r.ports.front());
  const AddrInfoList targets = resolve_or_throw(r.host, port0, family, socktype, numeric,
                                                "connect " + r.host, r.sock.numeric);
  AddrInfoList source;
  if (!r.source_host.empty() || !r.source_port.empty()) {
    source = resolve_or_throw(r.source_host, r.source_port.empty() ? "0" : r.source_port,
                              targets->ai_family, socktype, AI_PASSIVE | numeric,
                              "connect " + r.host + " (source address)", r.sock.numeric);
  }
  ScanState st{.r = r,
               .targets = targets.get(),
               .source = source.get(),
               .results = std::vector<PortResult>(r.ports.size()),
               .next_probe = 0,
               .next_report = 0,
               .running = 0,
               .error = nullptr};
  asio::steady_timer all_done(io, asio::steady_timer::time_point::max());
  const std::size_t workers = std::min(k_parallel, r.ports.size());
  st.running = workers;
  for (std::size_t i = 0; i < workers; ++i) {
    asio::co_spawn(io, worker(io, st), [&](std::exception_ptr e) {
      if (e && !st.error) {
        st.error = e;
      }
      if (--st.running == 0) {
        all_done.cancel();
      }
    });
  }
  while (st.running > 0) {
    co_await all_done.async_wait(as_tuple(asio::use_awaitable));
  }
  if (st.error) {
    std::rethrow_exception(st.error);
  }
  report_ready(st);
  for (const auto& p : st.results) {
    if (p.open) {
      co_return 0;
    }
  }
  co_return 1;
}

} // namespace ipcat
