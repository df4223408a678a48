// Opening endpoints from addresses: connecting clients, listeners, the generator.
#pragma once

#include <memory>

#include "address.hpp"
#include "options.hpp"
#include "socket_stream.hpp"
#include "stream.hpp"

namespace ipcat {

/// A failed connection attempt; err is the errno value (0 for a name resolution failure).
class ConnectError : public Error {
public:
  ConnectError(const std::string& what, int err, const std::string& why)
      : Error(what, why, 1, err) {}
};

/// What a connecting endpoint takes from the command line.
struct ConnectSettings {
  std::string source_host;                       ///< -s
  std::string source_port;                       ///< -p
  std::optional<Duration> timeout;               ///< -w
  bool retry = false;                            ///< --retry
  std::optional<unsigned long long> retry_count; ///< --retry=N (none: forever)
  Duration retry_interval = std::chrono::seconds(1);

  /// The settings the options give.
  static ConnectSettings from(const Options& o);
};

/// Connects to unix:, unix-dgram:, tcp: or udp: addresses, with -w, -s/-p and --retry.
asio::awaitable<std::unique_ptr<Stream>> connect_address(asio::io_context& io, const Address& a,
                                                         const ConnectSettings& s);

/// After failed attempt number attempt: true when --retry asks for another (said with -v),
/// false when the error is final (no --retry, not a retryable error, the count used up).
bool another_try(const ConnectSettings& o, const ConnectError& e, bool retryable,
                 unsigned long long attempt);

/// What a listener takes from the command line.
struct ListenSettings {
  AccessPolicy access;     ///< --allow-uid, --allow-gid, --allow, --deny
  bool one_client = false; ///< without -k: serve one client (probes are passed over)

  /// The settings the options give.
  static ListenSettings from(const Options& o) { return {o.access, !o.keep_open}; }
};

/// Opens a listener for unix-listen:, unix-dgram-listen:, tcp-listen: or udp-listen:.
std::unique_ptr<Listener> open_listener(asio::io_context& io, const Address& a,
                                        const ListenSettings& settings);

/// Opens a non-listening, non-connecting endpoint: stdio, uuid, fifo, file, exec.
/// want_input/want_output say which halves the session uses (stdio); a FIFO or file is read
/// when it is a source (want_input) and written otherwise.
std::unique_ptr<Stream> open_local(asio::io_context& io, const Address& a, bool want_input,
                                   bool want_output);

/// Starts the child for exec:, -e or -c.
std::unique_ptr<Stream> spawn_exec(asio::io_context& io, const Address& a);
/// Opens fifo:PATH as a source (reader) or a destination (writer), creating it if missing.
std::unique_ptr<Stream> open_fifo(asio::io_context& io, const Address& a, bool as_source);
/// Opens file:PATH as a source (reader, follow) or a destination (locked appends).
std::unique_ptr<Stream> open_file(asio::io_context& io, const Address& a, bool as_source);

/// The generator endpoint for a uuid address.
std::unique_ptr<Stream> make_generator(asio::io_context& io, const Address& a);

/// A sockaddr_un for PATH ("@name": abstract namespace); throws Error when too long.
struct UnixAddress {
  sockaddr_storage storage{};
  socklen_t len = 0;
  [[nodiscard]] const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};
/// Builds the Unix socket address, or throws Error(what, "path too long ...").
UnixAddress make_unix_address(const std::string& path, const std::string& what);

} // namespace ipcat
