#include "tls_record_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <unistd.h>

namespace ipcat {

namespace {

// One receive takes up to 16 records of 16 KiB.
constexpr std::size_t k_capacity = 256 * 1024;
constexpr std::size_t k_header = 5; // type, version (2), length (2)

struct Reader {
  int fd = -1;
  std::unique_ptr<char[]> buf{new char[k_capacity]}; // not value-initialised: no memory touched
  std::size_t begin = 0; // buf[begin, end) is received and not yet handed over
  std::size_t end = 0;
  std::uint64_t pos = 0;         // stream offset of buf[begin]
  std::uint64_t next_record = 0; // stream offset of the next record's header
  bool eof = false;
  bool bulk = false; // large receives; before, exactly the record being read
};

Reader* reader_of(BIO* b) {
  return static_cast<Reader*>(BIO_get_data(b));
}

// Learns the length of the record that starts at pos when its header is here. Any bytes do: a
// wrong length (a peer that is not speaking TLS) only changes how the bytes are cut.
void learn_record(Reader& r) {
  if (r.pos == r.next_record && r.end - r.begin >= k_header) {
    const auto* h = reinterpret_cast<const unsigned char*>(r.buf.get() + r.begin);
    r.next_record = r.pos + k_header + (static_cast<std::size_t>(h[3]) << 8 | h[4]);
  }
}

int reader_read(BIO* b, char* out, int outl) {
  BIO_clear_retry_flags(b);
  Reader& r = *reader_of(b);
  if (outl <= 0) {
    return 0;
  }
  for (;;) {
    learn_record(r);
    const std::size_t have = r.end - r.begin;
    // At a record boundary with less than a header, OpenSSL cannot go on without more bytes.
    if (have > 0 && (r.pos < r.next_record || r.eof)) {
      break;
    }
    if (r.eof) {
      return 0;
    }
    if (r.begin > 0) {
      std::memmove(r.buf.get(), r.buf.get() + r.begin, have); // a partial header at most
      r.begin = 0;
      r.end = have;
    }
    std::size_t want = k_capacity - r.end;
    if (!r.bulk) {
      // The rest of the header, or of the record whose header is here.
      const std::uint64_t at = r.pos + r.end;
      want = std::min<std::size_t>(want,
                                   r.pos < r.next_record ? r.next_record - at : k_header - r.end);
    }
    const ssize_t n = ::read(r.fd, r.buf.get() + r.end, want);
    if (n > 0) {
      r.end += static_cast<std::size_t>(n);
    } else if (n == 0) {
      r.eof = true;
    } else if (errno == EINTR) {
      continue;
    } else {
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        BIO_set_retry_read(b); // the socket is empty: waiting for it to be readable is right
      }
      return -1; // errno tells OpenSSL's caller why
    }
  }
  std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(outl), r.end - r.begin);
  if (r.pos < r.next_record) {
    n = std::min<std::size_t>(n, r.next_record - r.pos);
  }
  std::memcpy(out, r.buf.get() + r.begin, n);
  r.begin += n;
  r.pos += n;
  if (r.begin == r.end) {
    r.begin = r.end = 0;
  }
  return static_cast<int>(n);
}

int reader_write(BIO* /*b*/, const char* /*in*/, int /*inl*/) {
  return -1; // the write side is a BIO of its own
}

long reader_ctrl(BIO* b, int cmd, long /*num*/, void* /*ptr*/) {
  switch (cmd) {
  case BIO_CTRL_FLUSH:
    return 1;
  case BIO_CTRL_PENDING: {
    const Reader& r = *reader_of(b);
    return static_cast<long>(r.end - r.begin);
  }
  case BIO_CTRL_EOF: {
    const Reader& r = *reader_of(b);
    return r.eof && r.end == r.begin ? 1 : 0;
  }
  default:
    return 0;
  }
}

int reader_create(BIO* b) {
  BIO_set_data(b, nullptr);
  BIO_set_init(b, 0);
  return 1;
}

int reader_destroy(BIO* b) {
  delete reader_of(b);
  BIO_set_data(b, nullptr);
  return 1;
}

const BIO_METHOD* reader_method() {
  static BIO_METHOD* const m = [] {
    BIO_METHOD* made =
        BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "ipcat record reader");
    if (made != nullptr) {
      BIO_meth_set_read(made, reader_read);
      BIO_meth_set_write(made, reader_write);
      BIO_meth_set_ctrl(made, reader_ctrl);
      BIO_meth_set_create(made, reader_create);
      BIO_meth_set_destroy(made, reader_destroy);
    }
    return made;
  }();
  return m;
}

} // namespace

BIO* new_record_reader(int fd) {
  const BIO_METHOD* m = reader_method();
  BIO* b = m == nullptr ? nullptr : BIO_new(m);
  if (b == nullptr) {
    return nullptr;
  }
  auto* r = new Reader;
  r->fd = fd;
  BIO_set_data(b, r);
  BIO_set_init(b, 1);
  return b;
}

void record_reader_bulk(BIO* reader) {
  if (Reader* r = reader == nullptr ? nullptr : reader_of(reader)) {
    r->bulk = true;
  }
}

std::size_t record_reader_pending(BIO* reader) {
  const Reader* r = reader == nullptr ? nullptr : reader_of(reader);
  return r == nullptr ? 0 : r->end - r->begin;
}

} // namespace ipcat
