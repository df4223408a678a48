// Connecting through proxies: the "proxy" layer (",proxy=URL"; SOCKS4, SOCKS4a, SOCKS5 and
// HTTP CONNECT) and the connect that goes through the layers of an address with -w bounding
// the whole of it (connect and every handshake) and --retry retrying the whole of it.
//
// A chain (",proxy=A,proxy=B") connects to A; A's layer asks A for B, B's layer asks B for the
// target, each over the same socket. After the last handshake the socket is handed back as it
// is, so zero-copy applies. The replies are read by their exact lengths (SOCKS) or up to the
// end of the head (HTTP, found with MSG_PEEK), so bytes the target sent at once stay in the
// socket as the first bytes of the stream.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <memory>
#include <string_view>

#include "address.hpp"
#include "endpoints.hpp"
#include "layer.hpp"

namespace ipcat {

/// The layer factory of the "proxy" option: the hop that value names, in a's chain.
std::unique_ptr<Layer> make_proxy_layer(const Address& a, std::string_view value);

/// Connects to a connecting address and applies its client layers. With a proxy among them,
/// -w (s.timeout) bounds the connect and the handshakes together and --retry retries them
/// together; without one, this is connect_address then apply_layers.
asio::awaitable<std::unique_ptr<Stream>> connect_layered(asio::io_context& io, const Address& a,
                                                         const ConnectSettings& s);

} // namespace ipcat
