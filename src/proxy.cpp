#include "proxy.hpp"

#include <arpa/inet.h>
#include <array>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <exception>
#include <netdb.h>
#include <sys/socket.h>

#include "log.hpp"
#include "proxy_codec.hpp"
#include "proxy_url.hpp"
#include "resolve.hpp"
#include "tasks.hpp"

namespace ipcat {

namespace {

using asio::experimental::as_tuple;
using namespace asio::experimental::awaitable_operators;

// An HTTP proxy's head is a status line and a few headers; more than this is no proxy talking.
constexpr std::size_t k_http_head_limit = 64 * 1024;

std::uint16_t port_number(const std::string& port) {
  unsigned n = 0;
  std::from_chars(port.data(), port.data() + port.size(), n);
  return static_cast<std::uint16_t>(n);
}

bool is_ipv4_literal(const std::string& h) {
  in_addr a{};
  return inet_pton(AF_INET, h.c_str(), &a) == 1;
}

bool is_ipv6_literal(const std::string& h) {
  in6_addr a{};
  return inet_pton(AF_INET6, h.c_str(), &a) == 1;
}

// The first address host resolves to (family AF_INET or AF_UNSPEC), as a literal.
std::optional<std::string> resolve_here(const std::string& host, int family) {
  LookupError error;
  AddrInfoList list = lookup(host, "", family, SOCK_STREAM, 0, error);
  if (!list) {
    return std::nullopt;
  }
  char buf[NI_MAXHOST];
  if (::getnameinfo(list->ai_addr, list->ai_addrlen, buf, sizeof(buf), nullptr, 0,
                    NI_NUMERICHOST) != 0) {
    return std::nullopt;
  }
  return std::string(buf);
}

// One hop of a chain: the proxy it speaks to, and what it asks that proxy to connect to.
class ProxyLayer : public Layer {
public:
  ProxyLayer(ProxyUrl url, std::string next_host, std::string next_port, ProxyDns dns, bool first)
      : m_url(std::move(url)), m_host(std::move(next_host)), m_port(std::move(next_port)),
        m_dns(dns), m_first(first), m_what("proxy " + m_url.describe()) {}

  [[nodiscard]] std::string_view name() const override { return "proxy"; }
  [[nodiscard]] const ProxyUrl& url() const { return m_url; }

  [[nodiscard]] std::optional<Address> redirect(const Address& target) const override {
    if (!m_first) {
      return std::nullopt;
    }
    Address p;
    p.kind = AddressKind::Tcp;
    p.host = m_url.host;
    p.port = m_url.port;
    p.family = target.family; // -4/-6 choose how the first proxy is reached
    return p;
  }

  asio::awaitable<std::unique_ptr<Stream>>
  apply(asio::io_context& /*io*/, std::unique_ptr<Stream> inner, LayerSide side) override {
    if (side == LayerSide::Client) {
      switch (m_url.scheme) {
      case ProxyScheme::Socks4:
      case ProxyScheme::Socks4a:
        co_await socks4(*inner);
        break;
      case ProxyScheme::Socks5:
      case ProxyScheme::Socks5h:
        co_await socks5(*inner);
        break;
      case ProxyScheme::Http:
        co_await http(*inner);
        break;
      }
      log_event("Proxy " + m_url.describe() + " connected to " +
                (m_host.find(':') != std::string::npos ? "[" + m_host + "]" : m_host) + ":" +
                m_port);
    }
    co_return inner;
  }

private:
  [[noreturn]] void give_up(int err, const std::string& why) const {
    throw ConnectError(m_what, err, why);
  }

  [[noreturn]] void give_up(const ProxyFailure& f) const { give_up(f.err, f.why); }

  // The host to send: an address literal, or the name itself when the proxy is to resolve it.
  [[nodiscard]] std::string host_to_send(bool ipv4_only) const {
    ProxyDns mode = m_dns;
    if (mode == ProxyDns::Default) {
      mode = m_url.scheme == ProxyScheme::Socks4 ? ProxyDns::Local : ProxyDns::Remote;
    }
    if (is_ipv4_literal(m_host) || is_ipv6_literal(m_host)) {
      if (ipv4_only && !is_ipv4_literal(m_host)) {
        give_up(EAFNOSUPPORT,
                "SOCKS4 cannot reach the IPv6 address " + m_host + " (use socks5://)");
      }
      return m_host;
    }
    switch (mode) {
    case ProxyDns::Remote:
      return m_host;
    case ProxyDns::None:
      give_up(EINVAL, "'" + m_host + "' is a name, and proxy DNS is off (none): give an address");
    case ProxyDns::Local:
    case ProxyDns::Both:
    case ProxyDns::Default: {
      auto local = resolve_here(m_host, ipv4_only ? AF_INET : AF_UNSPEC);
      if (local) {
        return *local;
      }
      if (mode == ProxyDns::Both) {
        return m_host;
      }
      give_up(0, "cannot resolve " + m_host + (ipv4_only ? " to an IPv4 address" : "") +
                     (m_url.scheme == ProxyScheme::Socks4 ? " (socks4a:// lets the proxy resolve)"
                                                          : ""));
    }
    }
    return m_host;
  }

  asio::awaitable<void> write_all(Stream& s, const std::string& data) const {
    std::size_t done = 0;
    while (done < data.size()) {
      const IoResult r =
          co_await s.write(std::span<const char>(data.data() + done, data.size() - done));
      if (r.n < 0) {
        give_up(r.err, "sending the request: " + errno_text(r.err));
      }
      done += static_cast<std::size_t>(r.n);
    }
  }

  // Reads exactly n bytes: never more, so what follows the reply stays in the socket.
  asio::awaitable<std::string> read_exact(Stream& s, std::size_t n) const {
    std::string buf(n, '\0');
    std::size_t got = 0;
    while (got < n) {
      const IoResult r = co_await s.read(std::span<char>(buf.data() + got, n - got));
      if (r.n == 0) {
        give_up(ECONNRESET, "the proxy closed the connection during the handshake");
      }
      if (r.n < 0) {
        give_up(r.err, "reading the reply: " + errno_text(r.err));
      }
      got += static_cast<std::size_t>(r.n);
    }
    co_return buf;
  }

  asio::awaitable<void> socks4(Stream& s) const {
    const std::string host = host_to_send(true);
    const std::string user = m_url.user.value_or("");
    std::string request;
    if (is_ipv4_literal(host)) {
      in_addr a{};
      inet_pton(AF_INET, host.c_str(), &a);
      std::array<std::uint8_t, 4> ip{};
      std::memcpy(ip.data(), &a, 4);
      request = socks4_request(ip, port_number(m_port), user);
    } else {
      request = socks4a_request(host, port_number(m_port), user);
    }
    co_await write_all(s, request);
    const std::string reply = co_await read_exact(s, k_socks4_reply_size);
    if (auto f = socks4_reply_failure(reply)) {
      give_up(*f);
    }
  }

  asio::awaitable<void> socks5(Stream& s) const {
    const bool offer = m_url.user.has_value();
    co_await write_all(s, socks5_greeting(offer));
    const std::string choice = co_await read_exact(s, 2);
    bool password = false;
    if (auto f = socks5_method_failure(choice, offer, &password)) {
      give_up(*f);
    }
    if (password) {
      auto auth = socks5_password_request(*m_url.user, m_url.password.value_or(""));
      if (!auth) {
        give_up(EINVAL, "SOCKS5 user and password are limited to 255 bytes each");
      }
      co_await write_all(s, *auth);
      const std::string status = co_await read_exact(s, 2);
      if (auto f = socks5_password_failure(status)) {
        give_up(*f);
      }
    }
    auto request = socks5_connect_request(host_to_send(false), port_number(m_port));
    if (!request) {
      give_up(EINVAL, "SOCKS5 names are limited to 255 bytes");
    }
    co_await write_all(s, *request);
    const std::string head = co_await read_exact(s, k_socks5_reply_head);
    std::size_t rest = 0;
    if (auto f = socks5_reply_failure(head, &rest)) {
      give_up(*f);
    }
    const std::string bound = co_await read_exact(s, rest);
    if (rest == 1) {
      // A bound name: its bytes are read and dropped like the address would be.
      const std::string name =
          co_await read_exact(s, socks5_name_rest(static_cast<std::uint8_t>(bound.front())));
      static_cast<void>(name);
    }
  }

  asio::awaitable<void> http(Stream& s) const {
    co_await write_all(s, http_connect_request(host_to_send(false), port_number(m_port), m_url.user,
                                               m_url.password));
    const std::string head = co_await read_http_head(s);
    if (auto f = http_connect_failure(head)) {
      give_up(*f);
    }
  }

  // Reads the head of the response and not a byte more: the bytes waiting are looked at with
  // MSG_PEEK, and only those up to the end of the head are read. Bytes that are not the end
  // yet are all head, so they are read at once and the next wait blocks until more arrive.
  asio::awaitable<std::string> read_http_head(Stream& s) const {
    std::string head;
    const int fd = s.read_fd();
    std::string peek(16 * 1024, '\0');
    while (true) {
      std::size_t take = 1; // without a socket to peek at: a byte at a time
      if (fd >= 0) {
        const int w = co_await s.wait_readable();
        if (w != 0) {
          give_up(w, "reading the reply: " + errno_text(w));
        }
        const ssize_t n = ::recv(fd, peek.data(), peek.size(), MSG_PEEK | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
          continue;
        }
        if (n < 0) {
          give_up(errno, "reading the reply: " + errno_text(errno));
        }
        if (n == 0) {
          give_up(ECONNRESET, head.empty()
                                  ? "the proxy closed the connection without answering"
                                  : "the proxy closed the connection in the middle of its answer");
        }
        const std::string_view seen(peek.data(), static_cast<std::size_t>(n));
        const std::size_t from = head.size() >= 3 ? head.size() - 3 : 0;
        const std::string joined = head.substr(from) + std::string(seen);
        const std::size_t end = http_head_end(joined);
        take = end == std::string_view::npos ? seen.size() : end - (head.size() - from);
      }
      head += co_await read_exact(s, take);
      if (!http_plausible(head)) {
        const std::string_view first = std::string_view(head).substr(0, head.find_first_of("\r\n"));
        give_up(EPROTO, "not an HTTP response: '" + std::string(first.substr(0, 40)) + "'");
      }
      if (http_head_end(head) != std::string::npos) {
        co_return head;
      }
      if (head.size() > k_http_head_limit) {
        give_up(EPROTO, "the HTTP response head passes 64 KiB");
      }
    }
  }

  ProxyUrl m_url;
  std::string m_host; // the next hop: the next proxy, or the target
  std::string m_port;
  ProxyDns m_dns;
  bool m_first;
  std::string m_what;
};

// What one bounded attempt ended with: the stream, or the exception that ended it (kept as a
// value so that the race with the timer ends when the attempt does).
struct Attempt {
  std::unique_ptr<Stream> stream;
  std::exception_ptr error;
};

asio::awaitable<Attempt> attempt(asio::io_context& io, const Address& target,
                                 const std::vector<std::unique_ptr<Layer>>& layers,
                                 const ConnectSettings& once, const ProxyLayer& first) {
  Attempt out;
  try {
    std::unique_ptr<Stream> s;
    try {
      s = co_await connect_address(io, target, once);
    } catch (const ConnectError& e) {
      // The message names the proxy: that is what the user asked to go through.
      std::string why = e.what();
      why = why.substr(why.rfind(": ") + 2);
      throw ConnectError("proxy " + first.url().describe(), e.err(), "cannot connect: " + why);
    }
    out.stream = co_await apply_layers(io, std::move(s), layers, LayerSide::Client);
  } catch (...) {
    out.error = std::current_exception();
  }
  co_return out;
}

bool retryable(int err) {
  switch (err) {
  case ECONNREFUSED:
  case ETIMEDOUT:
  case EHOSTUNREACH:
  case ENETUNREACH:
  case ECONNRESET:
  case 0: // a name that does not resolve yet
    return true;
  default:
    return false;
  }
}

} // namespace

std::unique_ptr<Layer> make_proxy_layer(const Address& a, std::string_view value) {
  // The chain is every proxy option in the order written; this layer is the one whose text
  // value is (value points into a.written_options, as layers_for passes it).
  std::vector<const std::string*> chain;
  ProxyDns dns = ProxyDns::Default;
  for (const auto& [name, v] : a.written_options) {
    if (name == "proxy") {
      chain.push_back(&v);
    } else if (name == "proxy-dns") {
      auto d = parse_proxy_dns(v);
      dns = d ? *d : dns;
    }
  }
  std::size_t index = 0;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    if (chain[i]->data() == value.data()) {
      index = i;
      break;
    }
  }
  auto url = parse_proxy_url(value);
  if (!url) {
    throw Error("proxy", url.error(), 2);
  }
  std::string host = a.host;
  std::string port = a.port;
  if (index + 1 < chain.size()) {
    auto next = parse_proxy_url(*chain[index + 1]);
    if (!next) {
      throw Error("proxy", next.error(), 2);
    }
    host = next->host;
    port = next->port;
  }
  return std::make_unique<ProxyLayer>(*url, host, port, dns, index == 0);
}

asio::awaitable<std::unique_ptr<Stream>> connect_layered(asio::io_context& io, const Address& a,
                                                         const ConnectSettings& o) {
  const auto layers = layers_for(a);
  const Address target = connect_target(a, layers);
  const ProxyLayer* first = nullptr;
  for (const auto& l : layers) {
    if (first == nullptr) {
      first = dynamic_cast<const ProxyLayer*>(l.get());
    }
  }
  if (first == nullptr) {
    auto s = co_await connect_address(io, target, o);
    auto layered = co_await apply_layers(io, std::move(s), layers, LayerSide::Client);
    co_return layered;
  }
  ConnectSettings once = o;
  once.retry = false;
  for (unsigned long long n = 1;; ++n) {
    Attempt r;
    if (o.timeout) {
      asio::steady_timer timer(io, *o.timeout);
      auto raced = co_await (attempt(io, target, layers, once, *first) ||
                             timer.async_wait(as_tuple(asio::use_awaitable)));
      if (raced.index() == 0) {
        r = std::move(std::get<0>(raced));
      } else {
        r.error = std::make_exception_ptr(ConnectError(
            "proxy " + first->url().describe(), ETIMEDOUT,
            "no connection through the proxy within " + format_duration(*o.timeout) + " (-w)"));
      }
    } else {
      r = co_await attempt(io, target, layers, once, *first);
    }
    if (r.stream) {
      co_return std::move(r.stream);
    }
    try {
      std::rethrow_exception(r.error);
    } catch (const ConnectError& e) {
      if (!another_try(o, e, retryable(e.err()), n)) {
        throw;
      }
    }
    co_await sleep_for(io, o.retry_interval);
  }
}

} // namespace ipcat
