// The read side of a TLS connection: a BIO over the socket's non-blocking descriptor that
// receives in large chunks and hands OpenSSL one whole record per read.
//
// OpenSSL's own read-ahead buffer would take as much, but moves everything it still holds to
// the front of the buffer after every record (its payload alignment): with a large buffer that
// is several times the data in memmove. Given one record at a time, it never holds a second
// one, and a system call still brings in many records.
//
// Until the relay reads application data, the reader receives exactly the records OpenSSL asks
// for (a header, then the rest of its record): the handshake takes only its own records, and
// data the peer sent after it stays in the socket. A session that ends before reading it
// (a bridge whose backend refused) closes a socket with unread data, which tells the peer, as
// a plain socket does (a TCP reset; ECONNRESET on a Unix socket).
#pragma once

#include <cstddef>
#include <openssl/bio.h>

namespace ipcat {

/// A new reader on fd (not owned), or nullptr when OpenSSL cannot make one.
BIO* new_record_reader(int fd);

/// From now on, receive in large chunks (the relay reads application data).
void record_reader_bulk(BIO* reader);

/// Bytes the reader received and has not handed to OpenSSL yet.
std::size_t record_reader_pending(BIO* reader);

} // namespace ipcat
