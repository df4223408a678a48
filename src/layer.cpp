#include "layer.hpp"

#include "proxy.hpp"

namespace ipcat {

const std::vector<LayerType>& layer_types() {
  static const std::vector<LayerType> k_layers{
      {"proxy", make_proxy_layer}, // ",proxy=URL": applied in the order written
  };
  return k_layers;
}

std::vector<std::unique_ptr<Layer>> layers_for(const Address& a,
                                               const std::vector<LayerType>& table) {
  std::vector<std::unique_ptr<Layer>> layers;
  for (const auto& [name, value] : a.written_options) {
    for (const auto& t : table) {
      if (t.option == name) {
        layers.push_back(t.make(a, value));
      }
    }
  }
  return layers;
}

Address connect_target(const Address& a, const std::vector<std::unique_ptr<Layer>>& layers) {
  // The first layer that redirects decides: with proxies in a chain, the connection goes to the
  // first one, and each proxy's handshake asks it for the next hop.
  for (const auto& l : layers) {
    if (auto to = l->redirect(a)) {
      return *to;
    }
  }
  return a;
}

asio::awaitable<std::unique_ptr<Stream>>
apply_layers(asio::io_context& io, std::unique_ptr<Stream> s,
             const std::vector<std::unique_ptr<Layer>>& layers, LayerSide side) {
  for (const auto& l : layers) {
    s = co_await l->apply(io, std::move(s), side);
  }
  co_return s;
}

} // namespace ipcat
