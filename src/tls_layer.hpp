// The TLS layer: the row of the table of layers behind ",tls" (and tls:, tls-listen:, --ssl).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string_view>

#include "duration.hpp"
#include "layer.hpp"

namespace ipcat {

/// Where TLS goes among a connection's layers: after every other one (a proxy's handshake runs
/// on the raw connection first).
constexpr int k_tls_layer_order = 100;

/// How long a TLS handshake may take, on either side, without -w: a peer that does not speak
/// TLS (a plain server waiting for the client to talk first) fails in this time instead of
/// hanging, and a listener drops a client that never finishes its handshake.
constexpr Duration k_tls_handshake_default = std::chrono::seconds(60);

/// Bounds every TLS handshake by -w (when given) instead of the default; run() calls it once,
/// before any connection.
void set_tls_handshake_timeout(std::optional<Duration> w);

/// Makes the TLS layer for a (its context is made, or found, now: a bad certificate fails
/// before anything connects); throws Error.
std::unique_ptr<Layer> make_tls_layer(const Address& a, std::string_view value);

} // namespace ipcat
