// How the kinds that neither listen nor connect are opened: a row per kind (stdio, uuid,
// exec, fifo, file) with its open function. See endpoint_open.cpp.
#pragma once

#include <asio/io_context.hpp>
#include <memory>
#include <vector>

#include "endpoints.hpp"

namespace ipcat {

/// Opens one such endpoint; want_input/want_output say which halves the session uses (a
/// one-way kind is read when want_input, written otherwise).
using LocalOpen = std::unique_ptr<Stream> (*)(asio::io_context& io, const Address& a,
                                              bool want_input, bool want_output);

/// A row: the kind and its open function.
struct LocalOpener {
  AddressKind kind;
  LocalOpen open;
};

/// Every kind opened locally, a row each.
const std::vector<LocalOpener>& local_openers();

} // namespace ipcat
