// libFuzzer target: the command-line parser (src/options.cpp, with CLI11 and the address parser).
//
// The input is an argv (without argv[0]): the bytes split on NUL or newline, at most 16 words
// (the rest is ignored; empty words are kept, "" is a valid argument, but one separator at the
// very end only ends the last word, so seed files may end in a newline). parse_options must
// return, never throw, and what it accepts must satisfy what build_options guarantees; each
// check below names the line of options.cpp that makes it true, so a failure is a bug in src/:
//   - no listener with -z; -k only with a listener, and never with two;
//   - the right side is never the generator (uuid is a source: the left side);
//   - not both -d and --send-only; -i and -w are more than 0; no negative duration;
//   - -4/-6 and -s/-p need a TCP or UDP end, and an inet end's family agrees with -4/-6;
//   - per-endpoint options only on the kinds they apply to, a mode of at most 07777;
//   - TCP/UDP ends carry a port that parse_port accepts again (normalised: unchanged by it);
//   - an exec end has a command;
//   - access rules only with a listener they apply to (--allow-uid/--allow-gid: a Unix stream
//     listener; --allow/--deny: a TCP or UDP listener), address blocks with a prefix that fits.
#include "fuzz_check.hpp"
#include "options.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using ipcat::Address;
using ipcat::AddressKind;
using ipcat::Family;
using ipcat::Options;
using ipcat_fuzz::quoted;

namespace {

constexpr std::size_t k_max_words = 16;
constexpr auto k_year = std::chrono::hours(24 * 365);

std::vector<std::string> split_words(std::string_view bytes) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (words.size() < k_max_words && start <= bytes.size()) {
    const auto end = bytes.find_first_of(std::string_view("\0\n", 2), start);
    if (end == std::string_view::npos) {
      if (start < bytes.size() || words.empty()) {
        words.emplace_back(bytes.substr(start));
      }
      break;
    }
    words.emplace_back(bytes.substr(start, end - start));
    start = end + 1;
  }
  if (bytes.empty()) {
    words.clear(); // no input: no arguments at all
  }
  return words;
}

std::string show(const std::vector<std::string>& args) {
  std::string s = "argv {";
  for (std::size_t i = 0; i < args.size(); ++i) {
    s += (i == 0 ? "" : ", ") + quoted(args[i]);
  }
  return s + "}";
}

std::string show(const std::vector<std::string>& args, const Options& o) {
  return show(args) + " -> left " + quoted(o.left.describe()) + " right " +
         quoted(o.right.describe());
}

bool nonnegative(const std::optional<ipcat::Duration>& d) {
  return !d || (d->count() >= 0 && *d <= k_year);
}

void check_end(const std::string& ctx, const Address& e, const Options& o) {
  // Per-endpoint options stay on the kinds they apply to (address.cpp applies(), and
  // distribute() for --mode/--count/--interval).
  const auto& eo = e.options;
  const bool mode_ok = e.kind == AddressKind::UnixListen ||
                       e.kind == AddressKind::UnixDgramListen || e.kind == AddressKind::Fifo;
  FUZZ_CHECK(!eo.mode || mode_ok, ctx);
  FUZZ_CHECK(!eo.mode || *eo.mode <= 07777U, ctx);
  FUZZ_CHECK(!eo.count || e.kind == AddressKind::Uuid, ctx);
  FUZZ_CHECK(!eo.interval || e.kind == AddressKind::Uuid, ctx);
  FUZZ_CHECK(nonnegative(eo.interval), ctx);
  FUZZ_CHECK(!eo.follow || e.kind == AddressKind::File, ctx);
  FUZZ_CHECK(!eo.once || e.kind == AddressKind::Fifo, ctx);

  if (e.is_inet()) {
    // distribute(): an inet end without its own family takes -4/-6; the final loop rejects a
    // tcp4:/tcp6: end that conflicts with them.
    FUZZ_CHECK(o.family == Family::Any || e.family == o.family, ctx);
    FUZZ_CHECK(e.family != Family::Any || o.family == Family::Any, ctx);
    // Ports come from parse_port (netcat_address, or parse_address).
    const char* proto = !e.is_datagram() ? "tcp" : "udp";
    const auto p = ipcat::parse_port(e.port, e.is_listener(), proto);
    FUZZ_CHECK(p.ok(), ctx + " port " + quoted(e.port));
    FUZZ_CHECK(*p == e.port, ctx + " port " + quoted(e.port));
  } else {
    FUZZ_CHECK(e.family == Family::Any, ctx);
  }
  if (e.kind == AddressKind::Exec) {
    FUZZ_CHECK(!e.path.empty(), ctx); // local_side needs a non-empty -e/-c; exec: needs a command
  }

  // Messages must be producible for anything accepted.
  (void)e.describe();
  (void)e.target();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool usage_ok = !ipcat::usage_text().empty();
  FUZZ_CHECK(usage_ok, "usage_text() is empty");

  const std::vector<std::string> args =
      split_words(std::string_view(reinterpret_cast<const char*>(data), size));

  // parse_options turns CLI11's ParseError into a usage error; any other exception escaping
  // here is a bug (libFuzzer reports it as a crash: "deadly signal" after std::terminate).
  const auto r = ipcat::parse_options(args);
  if (!r.ok()) {
    FUZZ_CHECK(!r.error().empty(), show(args));
    return 0;
  }
  const Options& o = *r;
  if (o.help || o.version) {
    return 0; // build_options returns these before anything else is looked at
  }
  const std::string ctx = show(args, o);

  // check_conflicts
  FUZZ_CHECK(!(o.recv_only && o.send_only), ctx);
  // "cannot use -z with a listener"
  FUZZ_CHECK(!(o.zero_io && (o.left.is_listener() || o.right.is_listener())), ctx);
  // "-k needs a listener", "-k with two listeners"
  FUZZ_CHECK(!o.keep_open || o.left.is_listener() || o.right.is_listener(), ctx);
  FUZZ_CHECK(!(o.keep_open && o.left.is_listener() && o.right.is_listener()), ctx);
  // "two generators" and "uuid is a source": the generator is only ever the left side
  FUZZ_CHECK(o.right.kind != AddressKind::Uuid, ctx);

  // Durations: parse_duration never gives a negative one; -i and -w must be more than 0.
  FUZZ_CHECK(nonnegative(o.quit_after), ctx);
  FUZZ_CHECK(nonnegative(o.connect_timeout), ctx);
  FUZZ_CHECK(nonnegative(o.idle_timeout), ctx);
  FUZZ_CHECK(!o.idle_timeout || o.idle_timeout->count() > 0, ctx);
  FUZZ_CHECK(!o.connect_timeout || o.connect_timeout->count() > 0, ctx);
  FUZZ_CHECK(o.retry_interval.count() >= 0 && o.retry_interval <= k_year, ctx);

  // "-4 and -6 apply to TCP and UDP addresses only", "-s and -p apply to TCP and UDP ..."
  const bool any_inet = o.left.is_inet() || o.right.is_inet();
  FUZZ_CHECK(o.family == Family::Any || any_inet, ctx);
  FUZZ_CHECK((o.source_host.empty() && o.source_port.empty()) || any_inet, ctx);

  // build_access: rules need a listener of the right kind; parse_cidr bounds the prefix.
  const auto& acc = o.access;
  FUZZ_CHECK(!acc.has_unix_rules() || o.left.kind == AddressKind::UnixListen ||
                 o.right.kind == AddressKind::UnixListen,
             ctx);
  FUZZ_CHECK(!acc.has_inet_rules() || (o.left.is_listener() && o.left.is_inet()) ||
                 (o.right.is_listener() && o.right.is_inet()),
             ctx);
  for (const auto* list : {&acc.allow, &acc.deny}) {
    for (const auto& c : *list) {
      FUZZ_CHECK(c.prefix <= (c.v6 ? 128U : 32U), ctx + " block " + quoted(c.text));
    }
  }

  check_end(ctx + " [left]", o.left, o);
  check_end(ctx + " [right]", o.right, o);
  return 0;
}
