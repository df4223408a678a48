#include "tls_layer.hpp"

#include "tls_context.hpp"
#include "tls_stream.hpp"

namespace ipcat {

namespace {

std::optional<Duration> g_handshake_w; // -w, when given

// The address as a message names it: "tls:example.com:443", "unix:/run/s,tls".
std::string tls_name(const Address& a) {
  const std::string target = a.target();
  if (a.is_inet()) {
    return "tls:" + target.substr(target.find(':') + 1);
  }
  return target + ",tls";
}

class TlsLayer : public Layer {
public:
  explicit TlsLayer(const Address& a)
      : m_ctx(TlsContext::for_address(a)), m_name(tls_name(a)), m_host(a.host) {}

  [[nodiscard]] std::string_view name() const override { return "tls"; }

  asio::awaitable<std::unique_ptr<Stream>>
  apply(asio::io_context& /*io*/, std::unique_ptr<Stream> inner, LayerSide side) override {
    // A listener's failures name the client, so a -k listener's log tells them apart.
    TlsPeer peer{.what = side == LayerSide::Server ? "tls handshake from " + inner->name() : m_name,
                 .host = side == LayerSide::Server ? std::string() : m_host};
    auto s = std::make_unique<TlsStream>(std::move(inner), m_ctx, std::move(peer));
    co_await s->handshake(g_handshake_w.value_or(k_tls_handshake_default),
                          g_handshake_w.has_value());
    co_return s;
  }

private:
  std::shared_ptr<TlsContext> m_ctx;
  std::string m_name;
  std::string m_host;
};

} // namespace

void set_tls_handshake_timeout(std::optional<Duration> w) {
  g_handshake_w = w;
}

std::unique_ptr<Layer> make_tls_layer(const Address& a, std::string_view /*value*/) {
  return std::make_unique<TlsLayer>(a);
}

} // namespace ipcat
