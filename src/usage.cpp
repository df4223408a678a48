// The --help text: the usage lines, the address kinds (from the endpoint table) and the options.
#include "usage.hpp"

#include "endpoint_types.hpp"

namespace ipcat {

std::string usage_text() {
  return R"(Usage:
  ipcat [options] host port            connect over TCP (stdin -> socket -> stdout)
  ipcat -l [options] [host] port       listen on TCP, serve one client
  ipcat -U [-l] [options] path         Unix stream socket: connect, or listen with -l
  ipcat -u [-l] [options] [host] port  UDP (with -U: Unix datagram socket)
  ipcat [options] ADDRESS [ADDRESS]    relay between two endpoints (socat style)

)" + address_help() +
         R"(
Options:
  -l, --listen              listen instead of connect
  -U, --unix                Unix-domain socket; the destination is a path
  -u, --udp                 datagrams (UDP, or Unix datagram with -U)
  -k, --keep-open           with -l: keep accepting; clients are served concurrently
  -4, -6                    IPv4 or IPv6 only
  -s ADDR, -p PORT          source address and port of a connection (with -l: where to listen;
                            with -Uu, -s PATH: the client's own socket path for the replies)
                            with -Uu: -s PATH is the client's own socket, for the replies
  -N                        half-close on input EOF (already the default; for nc scripts)
      --no-shutdown         do not half-close the socket when the local input ends
  -q SECS                   quit SECS after the local input ends (-q 0: at once)
  -w SECS                   connect and TLS handshake timeout (and for -z)
  -i, --idle-timeout SECS   end the session after SECS without data in either direction
  -z                        connect, then close at once; exit 0 if something listens
                            (PORT may be a list: 22,80,8000-8010, probed at once)
  -n                        numeric addresses only: HOST is never looked up
  -b                        UDP: allow broadcast destinations (SO_BROADCAST)
  -T TOS                    IPv4 TOS / IPv6 traffic class: lowdelay, throughput,
                            reliability, ef, af11..af43, cs0..cs7 or 0-255
  -M TTL                    IPv4 TTL / IPv6 hop limit (1-255)
  -I LEN, -O LEN            receive / send buffer size (SO_RCVBUF / SO_SNDBUF)
      --stderr              -e/-c: the child's stderr goes to the connection too
  -d, --recv-only           only receive: never read the local input
      --send-only           only send: never write to the local output
  -e, --exec CMD            the local side is CMD, split into words (no shell)
  -c, --sh-exec CMD         the local side is /bin/sh -c CMD
      --uuid[=VERSION]      the local side is the UUID generator: v4 (default) and v7
                            in bulk; v1 (time), v3 (MD5), v5 (SHA-1) through libuuid
      --namespace NS        v3/v5: @dns, @url, @oid, @x500 or a UUID
      --name NAME           v3/v5: the name; %n counts 1, 2, ... (%% is a %); without
                            %n and --count one UUID
      --count N             generators: stop after N items
      --interval DUR        generators: pause DUR between items (1s, 250ms)
      --echo                also copy every byte sent to stderr
      --retry[=N]           keep trying to connect (N times; default forever)
      --retry-interval DUR  pause between tries (default 1s)
  -x ADDR:PORT              connect via a proxy (SOCKS5 unless -X says otherwise)
                            (not ADDR:PORT and no -X: ncat's hex dump FILE)
  -X 4|5|connect            the proxy's protocol: SOCKS4, SOCKS5, HTTP CONNECT
  -P USER                   proxy user (password: --proxy-auth, IPCAT_PROXY_AUTH)
      --proxy ADDR[:PORT]   connect via a proxy (HTTP unless --proxy-type)
      --proxy-type TYPE     socks4, socks4a, socks5 or http
      --proxy-auth USER:PASS  proxy credentials (or IPCAT_PROXY_AUTH, out of ps)
      --proxy-dns MODE      who resolves the target: local, remote, both or none
      --mode OCTAL          permissions of a Unix socket or FIFO that ipcat creates
      --pty                 with -e/-c: the child on a new pseudo-terminal (exec:CMD,pty)
      --raw                 the local terminal raw while the session runs (stdio,raw);
                            Ctrl-] ends the session
      --escape KEY          with --raw: the key that ends it (^X, a character, 0xHH, none)
      --allow-uid UID[,UID...]  Unix listener: admit only these users (SO_PEERCRED)
      --allow-gid GID[,GID...]  Unix listener: admit only these primary groups
      --allow CIDR          TCP/UDP listener: admit only peers in CIDR (repeatable)
      --deny CIDR           TCP/UDP listener: refuse peers in CIDR (repeatable; wins)
  -m, --max-conns N         with -k: at most N clients at once (the others wait); -ulk:
                            at most N peers' sessions (new peers' datagrams are dropped)
      --broker              with -l: every client's lines go to every other client and to
                            stdout, stdin's to every client (implies -k)
      --chat                --broker, each line prefixed with its sender (<user3>)
      --ssl                 TLS on the network side (as tls:, tls-listen:, ,tls)
      --ssl-cert FILE       PEM certificate (a listener without one makes its own)
      --ssl-key FILE        PEM private key (default: in the --ssl-cert file)
      --ssl-trustfile FILE  PEM CA bundle to verify the peer (default: system store)
      --ssl-verify[=yes|no] listener: require a client certificate; client: =no
                            turns the default check of the server's chain and name off
      --ssl-servername NAME SNI and the name checked (default: the host)
      --ssl-alpn LIST       ALPN protocols, comma-separated (h2,http/1.1)
      --ssl-ciphers LIST    OpenSSL cipher list (TLS 1.2) or TLS 1.3 suites
      --ssl-pin SHA256:HEX  accept exactly the peer certificate with that SHA-256
  -v, --verbose             one-line events on stderr (listening, connections)
      --stats               at exit: bytes each way, duration and rate on stderr
                            (SIGUSR1 prints the same line at once; the session goes on)
      --hex-dump FILE       every chunk each way as a hex dump in FILE (-: stderr)
  -o, --output FILE         the raw bytes of both directions into FILE
      --append-output FILE  the same, appended to FILE
      --progress            a live meter on stderr: bytes, rates, elapsed, ETA
  -C, --crlf                LF becomes CRLF in what is sent (left to right)
      --delay DUR           pause DUR between writes of what is sent
      --rate RATE           pace what is sent to RATE bytes/s (500K, 1M, 2G; K=1024)
  -h, --help                this help
  -V, --version             the version

Durations: a number of seconds (1.5) or with a unit: ns, us, ms, s, m, h.
Environment: IPCAT_COPY=1 turns off zero-copy (splice/sendfile) and copies with read/write.
IPCAT_PROXY_AUTH=USER:PASS: proxy credentials when no flag gives them.
A child (-e, -c, exec:) gets IPCAT_PEER_ADDR, IPCAT_PEER_PORT, IPCAT_LOCAL_ADDR,
IPCAT_LOCAL_PORT, IPCAT_PROTO (Unix: IPCAT_PEER_UID, _GID, _PID), NCAT_* too.
With LISTEN_FDS/LISTEN_PID (socket activation) -l alone serves the socket passed.
Exit status: 0 the session ended normally, 1 a runtime failure, 2 a usage error,
130/143 stopped by SIGINT/SIGTERM.
)";
}

} // namespace ipcat
