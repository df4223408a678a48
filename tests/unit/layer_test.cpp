// Unit tests for layers on a connected stream: the layers an address names are made in the
// order written, the connection goes where the first redirecting layer says, and apply_layers
// hands the stream through each in order. Test layers stand in for TLS and proxies.
#include "layer.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <string>

#include "fake_stream.hpp"

using ipcat::Address;
using ipcat::Layer;
using ipcat::LayerSide;
using ipcat::LayerType;
using ipcat::Stream;

namespace {

/// Wraps a stream in another whose name records the layer ("inner+tag").
class NamedStream : public Stream {
public:
  NamedStream(std::unique_ptr<Stream> inner, std::string name)
      : m_inner(std::move(inner)), m_name(std::move(name)) {}
  [[nodiscard]] std::string name() const override { return m_name; }
  void shutdown_write() override { m_inner->shutdown_write(); }
  void cancel() override { m_inner->cancel(); }

private:
  std::unique_ptr<Stream> m_inner;
  std::string m_name;
};

class TagLayer : public Layer {
public:
  explicit TagLayer(std::string tag) : m_tag(std::move(tag)) {}
  [[nodiscard]] std::string_view name() const override { return "tag"; }
  asio::awaitable<std::unique_ptr<Stream>>
  apply(asio::io_context& /*io*/, std::unique_ptr<Stream> inner, LayerSide side) override {
    const std::string name =
        inner->name() + "+" + m_tag + (side == LayerSide::Client ? "(c)" : "(s)");
    co_return std::make_unique<NamedStream>(std::move(inner), name);
  }

private:
  std::string m_tag;
};

class HopLayer : public Layer {
public:
  explicit HopLayer(std::string via) : m_via(std::move(via)) {}
  [[nodiscard]] std::string_view name() const override { return "hop"; }
  [[nodiscard]] std::optional<Address> redirect(const Address& target) const override {
    Address a = target;
    a.host = m_via;
    return a;
  }
  asio::awaitable<std::unique_ptr<Stream>>
  apply(asio::io_context& /*io*/, std::unique_ptr<Stream> inner, LayerSide /*side*/) override {
    co_return inner; // a proxy hands back the same stream after its handshake
  }

private:
  std::string m_via;
};

const std::vector<LayerType>& test_layers() {
  static const std::vector<LayerType> k = {
      {"tag",
       [](const Address&, std::string_view v) -> std::unique_ptr<Layer> {
         return std::make_unique<TagLayer>(std::string(v));
       }},
      {"hop",
       [](const Address&, std::string_view v) -> std::unique_ptr<Layer> {
         return std::make_unique<HopLayer>(std::string(v));
       }},
  };
  return k;
}

Address tcp_with(std::vector<std::pair<std::string, std::string>> options) {
  Address a;
  a.kind = ipcat::AddressKind::Tcp;
  a.host = "target";
  a.port = "443";
  a.written_options = std::move(options);
  return a;
}

} // namespace

TEST_CASE("layers: a plain address has none; ipcat knows the proxy and TLS, each named by a "
          "known address option",
          "[layer]") {
  for (const auto& t : ipcat::layer_types()) {
    CHECK(ipcat::find_address_option(t.option) != nullptr);
  }
  REQUIRE(ipcat::layer_types().size() >= 2);
  CHECK(std::any_of(ipcat::layer_types().begin(), ipcat::layer_types().end(),
                    [](const LayerType& t) { return t.option == "proxy"; }));
  CHECK(std::any_of(ipcat::layer_types().begin(), ipcat::layer_types().end(),
                    [](const LayerType& t) { return t.option == "tls"; }));
  CHECK(ipcat::layers_for(tcp_with({{"tag", "x"}})).empty());
  CHECK(ipcat::layers_for(tcp_with({}), test_layers()).empty());
}

TEST_CASE("layers: made in the order written, other options left alone", "[layer]") {
  const auto layers =
      ipcat::layers_for(tcp_with({{"hop", "p1"}, {"mode", "600"}, {"tag", "tls"}}), test_layers());
  REQUIRE(layers.size() == 2);
  CHECK(layers[0]->name() == "hop");
  CHECK(layers[1]->name() == "tag");
}

TEST_CASE("layers: the connection goes to the first redirect", "[layer]") {
  const Address a = tcp_with({{"tag", "a"}, {"hop", "proxy1"}, {"hop", "proxy2"}});
  const auto layers = ipcat::layers_for(a, test_layers());
  CHECK(ipcat::connect_target(a, layers).host == "proxy1");
  const Address plain = tcp_with({{"tag", "a"}});
  CHECK(ipcat::connect_target(plain, ipcat::layers_for(plain, test_layers())).host == "target");
}

TEST_CASE("layers: applied in order, each over the stream the one before handed back", "[layer]") {
  asio::io_context io;
  const auto layers =
      ipcat::layers_for(tcp_with({{"tag", "one"}, {"hop", "p"}, {"tag", "two"}}), test_layers());
  auto [stream, script] = ipcat::test::make_fake(io, "tcp:target:443");
  std::unique_ptr<Stream> out;
  asio::co_spawn(
      io,
      [&, s = std::move(stream)]() mutable -> asio::awaitable<void> {
        out = co_await ipcat::apply_layers(io, std::move(s), layers, LayerSide::Server);
      },
      asio::detached);
  io.run();
  REQUIRE(out != nullptr);
  CHECK(out->name() == "tcp:target:443+one(s)+two(s)");
}

TEST_CASE("layers: a row's order wins over the order written; once-only rows", "[layer]") {
  static const std::vector<LayerType> table = {
      {.option = "tag",
       .make = [](const Address&, std::string_view v) -> std::unique_ptr<Layer> {
         return std::make_unique<TagLayer>(std::string(v));
       },
       .order = 100,
       .once = true},
      {.option = "hop",
       .make = [](const Address&, std::string_view v) -> std::unique_ptr<Layer> {
         return std::make_unique<HopLayer>(std::string(v));
       }},
  };
  const auto layers = ipcat::layers_for(
      tcp_with({{"tag", "a"}, {"hop", "p1"}, {"tag", "b"}, {"hop", "p2"}}), table);
  REQUIRE(layers.size() == 3);
  CHECK(layers[0]->name() == "hop");
  CHECK(layers[1]->name() == "hop");
  CHECK(layers[2]->name() == "tag");
}
