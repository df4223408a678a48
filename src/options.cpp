// The command line into Options: CLI11's flags, the conflicts rejected up front, the address
// form, the checks that need both ends, and the global flags carried to the endpoints they
// apply to. The netcat form is in netcat_form.cpp, the --help text in usage.cpp.
#include "options.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <utility>

#include "netcat_form.hpp"

namespace ipcat {

namespace {

// "--uuid=v7" and "--retry=3" carry optional values, which CLI11 would otherwise take from the
// next word ("--uuid host port" must keep host as a positional). Only the "=" form sets them,
// and they are taken out here.
Result<std::vector<std::string>> split_optional_values(const std::vector<std::string>& args,
                                                       RawFlags& f) {
  std::vector<std::string> out;
  bool options_done = false;
  for (const auto& a : args) {
    if (options_done) {
      out.push_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true; // what follows is positional, whatever it looks like
      out.push_back(a);
    } else if (a.rfind("--uuid=", 0) == 0) {
      f.uuid_version = a.substr(7);
      if (f.uuid_version.empty()) {
        return fail("--uuid= needs a version (v1, v3, v4, v5 or v7)");
      }
      out.emplace_back("--uuid");
    } else if (a.rfind("--ssl-verify=", 0) == 0) {
      f.tls.verify = a.substr(13);
      if (f.tls.verify.empty()) {
        return fail("--ssl-verify= needs yes or no");
      }
      out.emplace_back("--ssl-verify");
    } else if (a.rfind("--retry=", 0) == 0) {
      f.retry_count = a.substr(8);
      if (f.retry_count.empty()) {
        return fail("--retry= needs a count");
      }
      out.emplace_back("--retry");
    } else {
      out.push_back(a);
    }
  }
  return out;
}

Result<std::optional<Duration>> optional_duration(const std::string& text, const char* flag) {
  if (text.empty()) {
    return std::optional<Duration>();
  }
  auto d = parse_duration(text);
  if (!d) {
    return fail(flag, ": ", d.error());
  }
  return std::optional<Duration>(*d);
}

std::optional<UsageError> check_conflicts(const RawFlags& f) {
  struct Pair {
    bool a;
    bool b;
    const char* text;
  };
  const Pair pairs[] = {
      {f.ipv4, f.ipv6, "cannot use -4 and -6 together"},
      {f.zero_io, f.listen, "cannot use -z and -l together"},
      {f.recv_only, f.send_only, "cannot use -d (--recv-only) and --send-only together"},
      {f.uuid, !f.exec_argv.empty() || !f.exec_shell.empty(),
       "cannot use --uuid with -e/-c: choose one local side"},
      {!f.exec_argv.empty(), !f.exec_shell.empty(), "cannot use -e and -c together"},
      {f.unix_socket, f.ipv4 || f.ipv6, "-4 and -6 do not apply to Unix sockets (-U)"},
      {f.unix_socket, !f.source_port.empty(), "-p does not apply to Unix sockets (-U)"},
      // A Unix datagram client may name its own socket with -s, as nc does (for the replies).
      {f.unix_socket && !(f.udp && !f.listen), !f.source_host.empty(),
       "-s with -U applies only to a Unix datagram client (-Uu -s PATH: its own socket)"},
      {f.retry && f.listen, true, "--retry applies to connecting, not to -l"},
      {f.no_shutdown, f.nc_shutdown, "cannot use -N and --no-shutdown together"},
  };
  for (const auto& p : pairs) {
    if (p.a && p.b) {
      return UsageError{p.text};
    }
  }
  return std::nullopt;
}

// -n, -b, -T, -M, -I and -O go to every TCP and UDP endpoint, --stderr to the child.
std::optional<UsageError> distribute_socket_flags(const RawFlags& f, Options& o) {
  SocketOptions& s = o.sockets;
  s.numeric = f.numeric;
  s.broadcast = f.broadcast;
  const std::pair<const std::string*, std::optional<int>*> values[] = {
      {&f.tos, &s.tos}, {&f.ttl, &s.ttl}, {&f.rcvbuf, &s.rcvbuf}, {&f.sndbuf, &s.sndbuf}};
  for (const auto& [text, out] : values) {
    if (text->empty()) {
      continue;
    }
    auto v = text == &f.tos   ? parse_tos(*text)
             : text == &f.ttl ? parse_ttl(*text)
                              : parse_buffer_size(*text);
    if (!v) {
      return UsageError{(text == &f.rcvbuf ? "-I: " : text == &f.sndbuf ? "-O: " : "") + v.error()};
    }
    *out = *v;
  }
  bool inet = false;
  bool udp = false;
  for (Address* e : {&o.left, &o.right}) {
    if (e->is_inet()) {
      e->options.sock = s;
      inet = true;
      udp = udp || e->is_datagram();
    }
  }
  if ((s.numeric || s.sets_any()) && !inet) {
    return fail("-n, -b, -T, -M, -I and -O apply to TCP and UDP");
  }
  if (s.broadcast && !udp) {
    return fail("-b (SO_BROADCAST) applies to UDP (-u)");
  }
  if (f.child_stderr) {
    Address* child = o.left.kind == AddressKind::Exec    ? &o.left
                     : o.right.kind == AddressKind::Exec ? &o.right
                                                         : nullptr;
    if (child == nullptr) {
      return fail("--stderr needs a child (-e, -c or exec:)");
    }
    child->options.child_stderr = true;
  }
  return std::nullopt;
}

// Carries the global per-endpoint flags (--mode, --count, --interval, -4/-6) to the endpoints
// they apply to; a flag that applies to neither endpoint is a usage error.
std::optional<UsageError> distribute(const RawFlags& f, Options& o) {
  Address* ends[] = {&o.left, &o.right};
  if (!f.mode.empty()) {
    auto m = parse_mode(f.mode);
    if (!m) {
      return UsageError{"--mode: " + m.error()};
    }
    bool used = false;
    const Address* abstract = nullptr;
    for (Address* e : ends) {
      if (!takes_option(e->type(), "mode")) {
        continue;
      }
      if (e->is_abstract()) {
        abstract = e; // no file is created, so there is nothing for the mode to apply to
        continue;
      }
      e->options.mode = e->options.mode.value_or(*m);
      used = true;
    }
    if (!used && abstract != nullptr) {
      return fail("--mode does not apply to an abstract socket (", abstract->path, " has no file)");
    }
    if (!used) {
      return UsageError{"--mode applies to a Unix socket or FIFO that ipcat creates (-lU, fifo:)"};
    }
  }
  if (!f.count.empty() || !f.interval.empty()) {
    Address* gen = nullptr;
    for (Address* e : ends) {
      if (takes_option(e->type(), "count") && takes_option(e->type(), "interval")) {
        gen = e;
      }
    }
    if (gen == nullptr) {
      return UsageError{"--count and --interval need a generator (--uuid)"};
    }
    if (!f.count.empty()) {
      auto c = parse_count(f.count);
      if (!c) {
        return UsageError{"--count: " + c.error()};
      }
      gen->options.count = gen->options.count.value_or(*c);
    }
    if (!f.interval.empty()) {
      auto d = parse_duration(f.interval);
      if (!d) {
        return UsageError{"--interval: " + d.error()};
      }
      gen->options.interval = gen->options.interval.value_or(*d);
    }
  }
  if (f.uuid_name_given || f.uuid_namespace_given) {
    Address* gen = nullptr;
    for (Address* e : ends) {
      if (takes_option(e->type(), "name") && takes_option(e->type(), "namespace")) {
        gen = e;
      }
    }
    if (gen == nullptr) {
      return UsageError{"--name and --namespace need a name-based generator (--uuid=v3 or v5)"};
    }
    if (f.uuid_namespace_given) {
      auto ns = parse_uuid_namespace(f.uuid_namespace);
      if (!ns) {
        return UsageError{"--namespace: " + ns.error()};
      }
      gen->options.uuid_namespace = gen->options.uuid_namespace.value_or(*ns);
    }
    if (f.uuid_name_given) {
      gen->options.uuid_name = gen->options.uuid_name.value_or(f.uuid_name);
    }
  }
  for (const Address* e : ends) {
    if (auto err = check_uuid_inputs(*e)) {
      return err;
    }
  }
  if (auto err = distribute_socket_flags(f, o)) {
    return err;
  }
  const Family fam = f.ipv4 ? Family::V4 : f.ipv6 ? Family::V6 : Family::Any;
  o.family = fam;
  for (Address* e : ends) {
    if (e->is_inet() && e->family == Family::Any) {
      e->family = fam;
    }
  }
  return std::nullopt;
}

// --pty, --raw and --escape go to the child and to stdio; escape= means nothing without raw.
std::optional<UsageError> carry_terminal_flags(const RawFlags& f, Options& o) {
  Address* child = o.left.kind == AddressKind::Exec    ? &o.left
                   : o.right.kind == AddressKind::Exec ? &o.right
                                                       : nullptr;
  Address* local = o.left.kind == AddressKind::Stdio    ? &o.left
                   : o.right.kind == AddressKind::Stdio ? &o.right
                                                        : nullptr;
  if (f.pty) {
    if (child == nullptr) {
      return fail("--pty needs a child: -e, -c or exec:CMD");
    }
    child->options.term.pty = true;
  }
  if (f.raw) {
    if (local == nullptr) {
      return fail("--raw needs stdio as one side (the local terminal)");
    }
    local->options.term.raw = true;
  }
  if (!f.escape.empty()) {
    if (local == nullptr || !local->options.term.raw) {
      return fail("--escape applies with --raw");
    }
    auto key = parse_escape(f.escape);
    if (!key) {
      return fail("--escape: ", key.error());
    }
    local->options.term.escape = *key;
  }
  for (const Address* e : {&o.left, &o.right}) {
    const bool escape = std::any_of(e->written_options.begin(), e->written_options.end(),
                                    [](const auto& w) { return w.first == "escape"; });
    if (escape && !e->options.term.raw) {
      return fail("escape= applies with raw: write stdio,raw,escape=KEY");
    }
  }
  return std::nullopt;
}

// --allow-uid/--allow-gid (Unix stream listeners) and --allow/--deny (TCP/UDP listeners).
std::optional<UsageError> build_access(const RawFlags& f, Options& o) {
  AccessPolicy& p = o.access;
  for (const auto& [list, out, is_user, flag] :
       {std::tuple{&f.allow_uid, &p.allow_uids, true, "--allow-uid"},
        std::tuple{&f.allow_gid, &p.allow_gids, false, "--allow-gid"}}) {
    for (const auto& text : *list) {
      auto ids = parse_id_list(text, is_user);
      if (!ids) {
        return UsageError{std::string(flag) + ": " + ids.error()};
      }
      out->insert(out->end(), ids->begin(), ids->end());
    }
  }
  for (const auto& [list, out, flag] :
       {std::tuple{&f.allow, &p.allow, "--allow"}, std::tuple{&f.deny, &p.deny, "--deny"}}) {
    for (const auto& text : *list) {
      auto c = parse_cidr(text);
      if (!c) {
        return UsageError{std::string(flag) + ": " + c.error()};
      }
      out->push_back(*c);
    }
  }
  const Address* listener = o.left.is_listener()    ? &o.left
                            : o.right.is_listener() ? &o.right
                                                    : nullptr;
  // Peer credentials (SO_PEERCRED) come with a connection: a Unix stream listener.
  const bool creds = listener != nullptr && listener->is_unix() && !listener->is_datagram();
  if (p.has_unix_rules() && !creds) {
    return UsageError{"--allow-uid and --allow-gid apply to a Unix stream listener (-lU)"};
  }
  if (p.has_inet_rules() && (listener == nullptr || !listener->is_inet())) {
    return UsageError{"--allow and --deny apply to a TCP or UDP listener (-l)"};
  }
  return std::nullopt;
}

// The flags that are plain values (no endpoint involved): copied and checked.
std::optional<UsageError> copy_plain_flags(const RawFlags& f, Options& o) {
  o.keep_open = f.keep_open;
  o.no_shutdown = f.no_shutdown;
  o.recv_only = f.recv_only;
  o.send_only = f.send_only;
  o.zero_io = f.zero_io;
  o.echo = f.echo;
  o.verbose = f.verbose;
  o.stats = f.stats;
  o.source_host = f.source_host;
  o.source_port = f.source_port;

  auto q = optional_duration(f.quit_after, "-q");
  auto w = optional_duration(f.connect_timeout, "-w");
  auto i = optional_duration(f.idle_timeout, "-i");
  for (auto* d : {&q, &w, &i}) {
    if (!*d) {
      return UsageError{d->error()};
    }
  }
  o.quit_after = *q;
  o.connect_timeout = *w;
  o.idle_timeout = *i;
  if (o.idle_timeout && o.idle_timeout->count() == 0) {
    return fail("-i: the idle timeout must be more than 0");
  }
  if (o.connect_timeout && o.connect_timeout->count() == 0) {
    return fail("-w: the timeout must be more than 0");
  }
  o.retry = f.retry;
  if (!f.retry_count.empty()) {
    auto c = parse_count(f.retry_count);
    if (!c) {
      return fail("--retry: ", c.error());
    }
    o.retry_count = *c;
  }
  if (!f.retry_interval.empty()) {
    auto d = parse_duration(f.retry_interval);
    if (!d) {
      return fail("--retry-interval: ", d.error());
    }
    o.retry_interval = *d;
  }
  return std::nullopt;
}

// --hex-dump, -o/--append-output, --progress, -C, --delay, --rate: plain values, checked.
std::optional<UsageError> copy_shape_flags(const RawFlags& f, Options& o) {
  if (f.hex_dump_given) {
    o.hex_dump = f.hex_dump;
  }
  if (f.output_given && f.append_output_given) {
    return fail("cannot use -o (--output) and --append-output together");
  }
  if (f.output_given || f.append_output_given) {
    o.output = f.output_given ? f.output : f.append_output;
    o.append_output = f.append_output_given;
  }
  o.progress = f.progress;
  o.crlf = f.crlf;
  if (!f.delay.empty()) {
    auto d = parse_duration(f.delay);
    if (!d) {
      return fail("--delay: ", d.error());
    }
    o.delay = *d;
  }
  if (!f.rate.empty()) {
    auto r = parse_rate(f.rate);
    if (!r) {
      return fail("--rate: ", r.error());
    }
    o.rate = *r;
  }
  return std::nullopt;
}

// The address form: one or two addresses; a single one pairs with the local side.
std::optional<UsageError> build_address_pair(const RawFlags& f, const Address& local, Options& o) {
  std::vector<Address> parsed;
  for (const auto& p : f.positionals) {
    auto a = parse_address(p);
    if (!a) {
      return UsageError{a.error()};
    }
    parsed.push_back(*a);
  }
  if (parsed.size() == 1 && parsed[0].type().role == Role::Source &&
      local.kind == AddressKind::Stdio) {
    // A lone generator is a source: it pairs with stdout, like --uuid alone.
    parsed.push_back(Address{});
  }
  if (parsed.size() == 2) {
    if (local.kind != AddressKind::Stdio) {
      return fail("--uuid, -e and -c name the local side; with two addresses write it as the "
                  "first address (uuid, exec:CMD)");
    }
    o.left = parsed[0];
    o.right = parsed[1];
  } else {
    o.left = local;
    o.right = parsed[0];
  }
  return std::nullopt;
}

// -m, --broker and --chat: they need a listener that keeps accepting. As ncat, -m with a
// listener but without -k serves its one client anyway (harmless); without a listener it is a
// usage error. --broker (and --chat, which implies it) implies -k, as ncat's broker keeps
// accepting, and needs a stream listener with stdio as the local side.
std::optional<UsageError> check_services(const RawFlags& f, Options& o) {
  const bool any_listener = o.left.is_listener() || o.right.is_listener();
  if (!f.max_conns.empty()) {
    auto n = parse_count(f.max_conns);
    if (!n || *n == 0) {
      return fail("-m: the number of clients must be 1 or more");
    }
    if (!any_listener) {
      return fail("-m (--max-conns) applies to a listener (-lk)");
    }
    o.max_conns = *n;
  }
  o.chat = f.chat;
  o.broker = f.broker || f.chat;
  if (!o.broker) {
    return std::nullopt;
  }
  const Address* listener = o.left.is_listener() ? &o.left : &o.right;
  const Address& local = o.left.is_listener() ? o.right : o.left;
  if (!any_listener || listener->is_datagram()) {
    return fail("--broker and --chat need a stream listener (-l, tcp-listen:, unix-listen:)");
  }
  if (!local.type().caps.shared) {
    return fail("--broker and --chat relay between clients: the local side must be stdio");
  }
  o.keep_open = true;
  return std::nullopt;
}

// The pair is built: checks that need both ends, then the global flags that go to one of them.
std::optional<UsageError> validate(const RawFlags& f, Options& o) {
  const bool left_source = o.left.type().role == Role::Source;
  const bool right_source = o.right.type().role == Role::Source;
  if (left_source && right_source) {
    return fail("two generators: one side must be a destination");
  }
  if (right_source) {
    return fail(kind_name(o.right.kind), " is a source: write it as the first address");
  }
  const bool any_listener = o.left.is_listener() || o.right.is_listener();
  if (o.keep_open && !any_listener) {
    return fail("-k needs a listener (-l or a *-listen: address)");
  }
  if (o.left.is_listener() && o.right.is_listener() && o.keep_open) {
    return fail("-k with two listeners: only one side may keep accepting");
  }
  if (o.zero_io && any_listener) {
    return fail("cannot use -z with a listener");
  }
  if (auto err = check_services(f, o)) {
    return *err;
  }
  if (auto err = distribute(f, o)) {
    return *err;
  }
  if (auto err = build_access(f, o)) {
    return *err;
  }
  if (auto err = carry_terminal_flags(f, o)) {
    return *err;
  }
  if (auto err = apply_tls_flags(f.tls, o.left, o.right)) {
    return *err;
  }
  for (const Address* e : {&o.left, &o.right}) {
    if (auto err = check_tls_files(*e)) {
      return *err;
    }
  }
  if (!o.source_port.empty()) {
    auto sp = parse_port(o.source_port, false, o.right.is_datagram() ? "udp" : "tcp");
    if (!sp) {
      return fail("-p: ", sp.error());
    }
    o.source_port = *sp;
  }
  // In the address form, flags that only apply to TCP/UDP need such an address.
  const bool any_inet = o.left.is_inet() || o.right.is_inet();
  if ((f.ipv4 || f.ipv6) && !any_inet) {
    return fail("-4 and -6 apply to TCP and UDP addresses only");
  }
  if ((!o.source_host.empty() || !o.source_port.empty()) && !any_inet) {
    return fail("-s and -p apply to TCP and UDP connections only");
  }
  for (const Address* e : {&o.left, &o.right}) {
    if (e->is_inet() &&
        ((f.ipv4 && e->family == Family::V6) || (f.ipv6 && e->family == Family::V4))) {
      return fail(f.ipv4 ? "-4" : "-6", " conflicts with '", e->describe(), "'");
    }
  }
  return std::nullopt;
}

Result<Options> build_options(const RawFlags& f) {
  Options o;
  o.help = f.help;
  o.version = f.version;
  if (o.help || o.version) {
    return o;
  }
  if (auto err = check_conflicts(f)) {
    return *err;
  }
  if (auto err = copy_plain_flags(f, o)) {
    return *err;
  }
  if (auto err = copy_shape_flags(f, o)) {
    return *err;
  }
  if (f.exec_given && f.exec_argv.empty() && f.exec_shell.empty()) {
    return fail("-e and -c need a command");
  }
  auto local = local_side(f);
  if (!local) {
    return UsageError{local.error()};
  }
  auto form = detect_form(f);
  if (!form) {
    return UsageError{form.error()};
  }
  auto err =
      *form == Form::Addresses ? build_address_pair(f, *local, o) : build_netcat_pair(f, *local, o);
  if (err) {
    return *err;
  }
  if (auto invalid = validate(f, o)) {
    return *invalid;
  }
  if (auto proxy_err = apply_proxy_flags(f.proxy, o, std::getenv("IPCAT_PROXY_AUTH"))) {
    return *proxy_err;
  }
  return o;
}

} // namespace

Result<Options> parse_options(const std::vector<std::string>& args) {
  RawFlags f;
  CLI::App app{"ipcat"};
  app.set_help_flag();
  app.add_flag("-h,--help", f.help);
  app.add_flag("-V,--version", f.version);
  app.add_flag("-l,--listen", f.listen);
  app.add_flag("-U,--unix", f.unix_socket);
  app.add_flag("-u,--udp", f.udp);
  app.add_flag("-k,--keep-open", f.keep_open);
  app.add_flag("-4", f.ipv4);
  app.add_flag("-6", f.ipv6);
  app.add_flag("-N", f.nc_shutdown);
  app.add_flag("--no-shutdown", f.no_shutdown);
  app.add_flag("-z", f.zero_io);
  app.add_flag("-d,--recv-only", f.recv_only);
  app.add_flag("--send-only", f.send_only);
  app.add_flag("--uuid", f.uuid);
  app.add_flag("--echo", f.echo);
  app.add_flag("--retry", f.retry);
  app.add_flag("-v,--verbose", f.verbose);
  app.add_flag("--stats", f.stats);
  app.add_option("-s", f.source_host);
  app.add_option("-p", f.source_port);
  app.add_option("-q", f.quit_after);
  app.add_option("-w", f.connect_timeout);
  app.add_option("-i,--idle-timeout", f.idle_timeout);
  app.add_option("-e,--exec", f.exec_argv);
  app.add_option("-c,--sh-exec", f.exec_shell);
  app.add_option("--count", f.count);
  app.add_option("--interval", f.interval);
  app.add_option("--name", f.uuid_name);
  app.add_option("--namespace", f.uuid_namespace);
  app.add_option("--retry-interval", f.retry_interval);
  app.add_option("--mode", f.mode);
  app.add_flag("--pty", f.pty);
  app.add_flag("--raw", f.raw);
  app.add_option("--escape", f.escape);
  // Seeing and shaping the stream.
  app.add_option("--hex-dump", f.hex_dump);
  app.add_option("-o,--output", f.output);
  app.add_option("--append-output", f.append_output);
  app.add_flag("--progress", f.progress);
  app.add_flag("-C,--crlf", f.crlf);
  app.add_option("--delay", f.delay);
  app.add_option("--rate", f.rate);
  // One value each, repeatable: "--allow 10.0.0.0/8 host 80" keeps host and port positional.
  for (auto [name, list] :
       {std::pair{"--allow-uid", &f.allow_uid}, std::pair{"--allow-gid", &f.allow_gid},
        std::pair{"--allow", &f.allow}, std::pair{"--deny", &f.deny}}) {
    app.add_option(name, *list)
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  }
  app.add_option("-m,--max-conns", f.max_conns);
  app.add_flag("--broker", f.broker);
  app.add_flag("--chat", f.chat);
  // Proxies: nc.openbsd's -x/-X/-P and ncat's --proxy* (-x may also be ncat's hex dump file).
  app.add_option("-x", f.proxy.x);
  app.add_option("-X", f.proxy.x_type);
  app.add_option("-P", f.proxy.user);
  app.add_option("--proxy", f.proxy.proxy);
  app.add_option("--proxy-type", f.proxy.type);
  app.add_option("--proxy-auth", f.proxy.auth);
  app.add_option("--proxy-dns", f.proxy.dns);
  app.add_flag("-n", f.numeric);
  app.add_flag("-b", f.broadcast);
  app.add_flag("--stderr", f.child_stderr);
  app.add_option("-T", f.tos);
  app.add_option("-M", f.ttl);
  app.add_option("-I", f.rcvbuf);
  app.add_option("-O", f.sndbuf);
  // TLS, with ncat's names (--ssl-verify=no is taken out by split_optional_values).
  app.add_flag("--ssl", f.tls.ssl);
  app.add_option("--ssl-cert", f.tls.cert);
  app.add_option("--ssl-key", f.tls.key);
  app.add_option("--ssl-trustfile", f.tls.trustfile);
  app.add_flag_callback("--ssl-verify", [&f] {
    if (f.tls.verify.empty()) {
      f.tls.verify = "yes";
    }
  });
  app.add_option("--ssl-servername", f.tls.servername);
  app.add_option("--ssl-alpn", f.tls.alpn);
  app.add_option("--ssl-ciphers", f.tls.ciphers);
  app.add_option("--ssl-pin", f.tls.pin);
  app.add_option("args", f.positionals);

  auto split = split_optional_values(args, f);
  if (!split) {
    return UsageError{split.error()};
  }
  std::vector<std::string> argv = *split;
  // CLI11 parses a reversed vector (it pops from the back).
  std::reverse(argv.begin(), argv.end());
  // Extras are collected rather than thrown, so that the first unknown option of the command
  // line is named alone (CLI11's message lists them all, last first).
  app.allow_extras(true);
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    if (!msg.empty() && msg.back() == '\n') {
      msg.pop_back();
    }
    return fail(msg);
  }
  // CLI11 keeps the "--" that ends the options among the extras; it is no mistake.
  std::vector<std::string> extras = app.remaining();
  extras.erase(std::remove(extras.begin(), extras.end(), "--"), extras.end());
  if (!extras.empty()) {
    // The first word of the command line that CLI11 left over.
    std::string word = extras.front();
    for (const auto& a : *split) {
      if (std::find(extras.begin(), extras.end(), a) != extras.end()) {
        word = a;
        break;
      }
    }
    if (!word.empty() && word.front() == '-') {
      return fail("unknown option '", word, "'");
    }
    return fail("unexpected argument '", word, "'");
  }
  f.exec_given = app.count("-e") + app.count("-c") > 0;
  f.uuid_name_given = app.count("--name") > 0;
  f.uuid_namespace_given = app.count("--namespace") > 0;
  f.hex_dump_given = app.count("--hex-dump") > 0;
  f.output_given = app.count("--output") > 0;
  f.append_output_given = app.count("--append-output") > 0;
  // "-q -1" means "never quit" in nc; CLI11 hands "-1" over as the value.
  if (f.quit_after == "-1") {
    f.quit_after.clear();
  }
  return build_options(f);
}

} // namespace ipcat
