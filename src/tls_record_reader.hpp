// The read side of a TLS connection: a BIO over the socket's non-blocking descriptor that
// receives in large chunks and hands OpenSSL one whole record per read.
//
// OpenSSL's own read-ahead buffer would take as much, but moves everything it still holds to
// the front of the buffer after every record (its payload alignment): with a large buffer that
// is several times the data in memmove. Given one record at a time, it never holds a second
// one, and a system call still brings in many records.
#pragma once

#include <cstddef>
#include <openssl/bio.h>

namespace ipcat {

/// A new reader on fd (not owned), or nullptr when OpenSSL cannot make one.
BIO* new_record_reader(int fd);

/// Bytes the reader received and has not handed to OpenSSL yet.
std::size_t record_reader_pending(BIO* reader);

} // namespace ipcat
