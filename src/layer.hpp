// Layers on a connected stream: a step applied after connect or accept that turns a stream
// into another, named by address options in the order written (`tcp:h:443,proxy=URL,tls`).
// A proxy layer redirects the connection to its proxy, makes its handshake and hands back the
// same socket (zero-copy stays possible); a TLS layer hands back a new stream over it. The
// relay never knows a layer was there. The rows so far: the proxy (proxy.hpp), applied in the
// order written, and TLS (tls_layer.hpp), whose order puts it after every other layer whatever
// the order written: a proxy's handshake runs on the raw connection.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "address.hpp"
#include "stream.hpp"

namespace ipcat {

/// Which end of the connection a layer is applied at.
enum class LayerSide {
  Client, ///< after connect: we started the connection (a TLS client, a proxy client)
  Server, ///< after accept: the peer started it (a TLS server)
};

/// One step on a connected stream.
class Layer {
public:
  virtual ~Layer() = default;
  Layer() = default;
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  /// The address option that names it ("tls", "proxy").
  [[nodiscard]] virtual std::string_view name() const = 0;
  /// Before connecting: where to connect instead (a proxy: the proxy itself), if anywhere.
  [[nodiscard]] virtual std::optional<Address> redirect(const Address& /*target*/) const {
    return std::nullopt;
  }
  /// Applies the layer: the stream to use from now on, the same one or one that wraps it.
  /// Throws Error (one line naming the layer and its reason) when the step fails.
  virtual asio::awaitable<std::unique_ptr<Stream>>
  apply(asio::io_context& io, std::unique_ptr<Stream> inner, LayerSide side) = 0;
};

/// Makes the layer one written option names (value: what came after '='), for a.
using LayerFactory = std::unique_ptr<Layer> (*)(const Address& a, std::string_view value);

/// A row of the table of layers: the option name and how to make the layer.
struct LayerType {
  std::string_view option;
  LayerFactory make;
  int order = 0;     ///< layers apply by this, lowest first, then as written (TLS: last)
  bool once = false; ///< a second mention adds no second layer (",tls" on tls:)
};

/// Every layer ipcat knows, a row each (the plain stream needs none).
const std::vector<LayerType>& layer_types();

/// The layers a's written options name, and the one its kind implies (tls: has TLS), sorted
/// by their rows' order, then in the order written (empty: the plain stream).
std::vector<std::unique_ptr<Layer>> layers_for(const Address& a,
                                               const std::vector<LayerType>& table = layer_types());

/// Where a connection for a goes: the first redirect among its layers (a chain of proxies goes
/// to the first proxy, whose layer knows the rest), or a itself.
Address connect_target(const Address& a, const std::vector<std::unique_ptr<Layer>>& layers);

/// Applies layers to s in order; the stream the last one hands back.
asio::awaitable<std::unique_ptr<Stream>>
apply_layers(asio::io_context& io, std::unique_ptr<Stream> s,
             const std::vector<std::unique_ptr<Layer>>& layers, LayerSide side);

} // namespace ipcat
