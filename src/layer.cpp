#include "layer.hpp"

#include <algorithm>

#include "proxy.hpp"
#include "tls_layer.hpp"

namespace ipcat {

const std::vector<LayerType>& layer_types() {
  static const std::vector<LayerType> k_layers{
      {"proxy", make_proxy_layer}, // ",proxy=URL": applied in the order written
      {.option = "tls", .make = make_tls_layer, .order = k_tls_layer_order, .once = true},
  };
  return k_layers;
}

std::vector<std::unique_ptr<Layer>> layers_for(const Address& a,
                                               const std::vector<LayerType>& table) {
  struct Made {
    const LayerType* type;
    std::unique_ptr<Layer> layer;
  };
  std::vector<Made> made;
  auto add = [&](const LayerType& t, std::string_view value) {
    const bool again = std::any_of(made.begin(), made.end(),
                                   [&](const Made& m) { return m.type->option == t.option; });
    if (!(t.once && again)) {
      made.push_back(Made{&t, t.make(a, value)});
    }
  };
  for (const auto& [name, value] : a.written_options) {
    for (const auto& t : table) {
      if (t.option == name) {
        add(t, value);
      }
    }
  }
  // The layer the kind implies (tls:, tls-listen:) comes after the written ones of its order.
  for (const auto& t : table) {
    if (!a.type().layer.empty() && t.option == a.type().layer) {
      add(t, "");
    }
  }
  std::stable_sort(made.begin(), made.end(),
                   [](const Made& x, const Made& y) { return x.type->order < y.type->order; });
  std::vector<std::unique_ptr<Layer>> layers;
  layers.reserve(made.size());
  for (auto& m : made) {
    layers.push_back(std::move(m.layer));
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
