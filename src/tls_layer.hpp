// The TLS layer: the row of the table of layers behind ",tls" (and tls:, tls-listen:, --ssl).
#pragma once

#include <memory>
#include <string_view>

#include "layer.hpp"

namespace ipcat {

/// Where TLS goes among a connection's layers: after every other one (a proxy's handshake runs
/// on the raw connection first).
constexpr int k_tls_layer_order = 100;

/// Makes the TLS layer for a (its context is made, or found, now: a bad certificate fails
/// before anything connects); throws Error.
std::unique_ptr<Layer> make_tls_layer(const Address& a, std::string_view value);

} // namespace ipcat
