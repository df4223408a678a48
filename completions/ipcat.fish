# fish completion for ipcat(1)
# Every flag of `ipcat --help` (short and long), the values of --uuid= (v1, v3, v4, v5, v7) and
# --namespace (@dns, @url, @oid, @x500), the socat-style address types (unix:, unix-listen:,
# ..., uuid, uuid:v1, ..., uuid:v7, -, stdio), file paths after
# -U and inside path addresses (unix:PATH, fifo:PATH, file:PATH, ...), commands after -e/-c and
# exec:.

# The netcat form with -l or -u (and no -U) takes [host] port: no address types there.
function __ipcat_netcat_form
    __fish_contains_opt -s l -s u listen udp
    and not __fish_contains_opt -s U unix
end

# Address types, or what follows a type's colon.
function __ipcat_addresses
    set -l tok (commandline -ct)
    set -l type (string replace -r ':.*' '' -- $tok)
    set -l arg (string replace -r '^[^:]*:' '' -- $tok)
    if string match -q -- '*:*' $tok
        switch (string lower -- $type)
            case unix unix-listen unix-connect unix-dgram unix-dgram-listen unix-sendto unix-recvfrom fifo pipe file serial
                for f in (__fish_complete_path $arg)
                    echo $type:$f
                end
            case exec system
                for c in (complete -C "$arg" | string replace -r '\t.*' '' | sort -u)
                    echo $type:$c
                end
            case uuid
                printf '%s\t%s\n' uuid:v1 'time-based UUIDs (libuuid)' uuid:v3 'name-based UUIDs, MD5' \
                    uuid:v4 'random UUIDs' uuid:v5 'name-based UUIDs, SHA-1' uuid:v7 'time-ordered UUIDs'
        end
        return
    end
    printf '%s\t%s\n' \
        - 'stdin and stdout' \
        stdio 'stdin and stdout' \
        unix: 'Unix stream socket: connect' \
        unix-listen: 'Unix stream socket: listen' \
        unix-connect: 'Unix stream socket: connect (socat name)' \
        unix-dgram: 'Unix datagram socket: send' \
        unix-dgram-listen: 'Unix datagram socket: receive' \
        unix-sendto: 'Unix datagram socket: send (socat name)' \
        unix-recvfrom: 'Unix datagram socket: receive (socat name)' \
        tcp: 'TCP: connect to HOST:PORT' \
        tcp-connect: 'TCP: connect (socat name)' \
        tcp4: 'TCP over IPv4' \
        tcp6: 'TCP over IPv6' \
        tcp-listen: 'TCP: listen on [HOST:]PORT' \
        tcp4-listen: 'TCP: listen on IPv4' \
        tcp6-listen: 'TCP: listen on IPv6' \
        udp: 'UDP: send to HOST:PORT' \
        udp-connect: 'UDP: send (socat name)' \
        udp4: 'UDP over IPv4' \
        udp6: 'UDP over IPv6' \
        udp-listen: 'UDP: receive on [HOST:]PORT' \
        udp4-listen: 'UDP: receive on IPv4' \
        udp6-listen: 'UDP: receive on IPv6' \
        fifo: 'named pipe, created if missing' \
        pipe: 'named pipe (socat name)' \
        file: 'shared file: locked appends, follow' \
        exec: 'a child run by /bin/sh -c' \
        system: 'a child run by /bin/sh -c (socat name)' \
        serial: 'a serial line (termios; speed=, parity=, flow=)' \
        pty 'a new pseudo-terminal (link=PATH: a symlink to its slave)' \
        socks4: 'TCP through a SOCKS4 proxy: PROXY:HOST:PORT' \
        socks4a: 'TCP through a SOCKS4a proxy: PROXY:HOST:PORT' \
        socks5: 'TCP through a SOCKS5 proxy: PROXY:HOST:PORT' \
        proxy: 'TCP through an HTTP CONNECT proxy: PROXY:HOST:PORT' \
        accept-fd: 'accept on inherited listening socket N' \
        fd: 'inherited descriptor N' \
        tls: 'TLS over TCP: connect to HOST:PORT' \
        tls-listen: 'TLS over TCP: listen on [HOST:]PORT' \
        openssl: 'TLS over TCP: connect (socat name)' \
        openssl-connect: 'TLS over TCP: connect (socat name)' \
        openssl-listen: 'TLS over TCP: listen (socat name)' \
        uuid 'UUID generator (v4)' \
        uuid:v1 'UUID generator, time-based (libuuid)' \
        uuid:v3 'UUID generator, name-based, MD5' \
        uuid:v4 'UUID generator, random' \
        uuid:v5 'UUID generator, name-based, SHA-1' \
        uuid:v7 'UUID generator, time-ordered'
end

complete -c ipcat -e

# Operands: with -U a path; with -l/-u a host and a port; else addresses.
complete -c ipcat -n '__fish_contains_opt -s U unix' -F
complete -c ipcat -n 'not __fish_contains_opt -s U unix; and not __ipcat_netcat_form' -f -a '(__ipcat_addresses)'
complete -c ipcat -n __ipcat_netcat_form -f

complete -c ipcat -s l -l listen -d 'listen instead of connect'
complete -c ipcat -s U -l unix -d 'Unix-domain socket; the destination is a path'
complete -c ipcat -s u -l udp -d 'datagrams (UDP, or Unix datagram with -U)'
complete -c ipcat -s k -l keep-open -d 'with -l: keep accepting; clients served concurrently'
complete -c ipcat -s 4 -d 'IPv4 only'
complete -c ipcat -s 6 -d 'IPv6 only'
complete -c ipcat -s s -x -n 'not __fish_contains_opt -s U unix' -a '(__fish_print_hostnames)' -d 'source address (with -l: where to listen)'
complete -c ipcat -s s -r -F -n '__fish_contains_opt -s U unix' -d 'with -Uu: the client\'s own socket path'
complete -c ipcat -s p -x -d 'source port (with -l: where to listen)'
complete -c ipcat -s N -d 'half-close on input EOF (already the default)'
complete -c ipcat -l no-shutdown -d 'do not half-close when the local input ends'
complete -c ipcat -s q -x -d 'quit SECS after the local input ends'
complete -c ipcat -s w -x -d 'connect and TLS handshake timeout (and for -z)'
complete -c ipcat -s i -l idle-timeout -x -d 'end the session after SECS without data'
complete -c ipcat -s z -d 'connect, then close at once'
complete -c ipcat -s d -l recv-only -d 'only receive: never read the local input'
complete -c ipcat -l send-only -d 'only send: never write to the local output'
complete -c ipcat -s e -l exec -x -a '(__fish_complete_command)' -d 'the local side is CMD, split into words'
complete -c ipcat -s c -l sh-exec -x -a '(__fish_complete_command)' -d 'the local side is /bin/sh -c CMD'
# --uuid takes its version only as --uuid=VERSION (v1, v3, v4, v5, v7): offered as whole words.
complete -c ipcat -l uuid -d 'the local side is the UUID generator (default v4)'
complete -c ipcat -n 'string match -q -- "--u*" (commandline -ct)' -f -a '--uuid=v1\t"time-based UUIDs" --uuid=v3\t"name-based UUIDs, MD5" --uuid=v4\t"random UUIDs" --uuid=v5\t"name-based UUIDs, SHA-1" --uuid=v7\t"time-ordered UUIDs"'
complete -c ipcat -l namespace -x -a '@dns @url @oid @x500' -d 'v3/v5: the namespace (or a UUID)'
complete -c ipcat -l name -x -d 'v3/v5: the name (%n counts 1, 2, ...)'
complete -c ipcat -l count -x -d 'generators: stop after N items'
complete -c ipcat -l interval -x -d 'generators: pause DUR between items'
complete -c ipcat -l echo -d 'also copy every byte sent to stderr'
complete -c ipcat -l retry -d 'keep trying to connect (--retry=N: N times)'
complete -c ipcat -l retry-interval -x -d 'pause between tries (default 1s)'
complete -c ipcat -l pty -d 'with -e/-c: the child on a new pseudo-terminal'
complete -c ipcat -l raw -d 'the local terminal raw while the session runs (Ctrl-] ends)'
complete -c ipcat -l escape -x -a '^] ^A ^B ^X none' -d 'with --raw: the key that ends the session'
complete -c ipcat -l mode -x -a '600 660 666 700 770 777' -d 'permissions of a socket or FIFO ipcat creates'
complete -c ipcat -l allow-uid -x -a '(__fish_complete_users)' -d 'Unix listener: admit only these users'
complete -c ipcat -l allow-gid -x -a '(__fish_complete_groups)' -d 'Unix listener: admit only these primary groups'
complete -c ipcat -l allow -x -d 'TCP/UDP listener: admit only peers in CIDR'
complete -c ipcat -l deny -x -d 'TCP/UDP listener: refuse peers in CIDR'
complete -c ipcat -s x -r -d 'connect through the proxy ADDR:PORT (else: the hex dump file)'
complete -c ipcat -s X -x -a '4 5 connect' -d 'the proxy protocol: SOCKS4, SOCKS5, HTTP CONNECT'
complete -c ipcat -s P -x -d 'the proxy user'
complete -c ipcat -l proxy -x -a '(__fish_print_hostnames)' -d 'connect through the proxy ADDR[:PORT]'
complete -c ipcat -l proxy-type -x -a 'socks4 socks4a socks5 http' -d 'the proxy protocol'
complete -c ipcat -l proxy-auth -x -d 'proxy credentials USER:PASS'
complete -c ipcat -l proxy-dns -x -a 'local remote both none' -d 'who resolves the target'
complete -c ipcat -l ssl -d 'TLS on the network side'
complete -c ipcat -l ssl-cert -r -F -d 'PEM certificate'
complete -c ipcat -l ssl-key -r -F -d 'PEM private key'
complete -c ipcat -l ssl-trustfile -r -F -d 'PEM CA bundle to verify the peer'
complete -c ipcat -l ssl-verify -d 'listener: require a client certificate (--ssl-verify=no: client, no verification)'
complete -c ipcat -n 'string match -q -- "--ssl-v*" (commandline -ct)' -f -a '--ssl-verify=yes --ssl-verify=no'
complete -c ipcat -l ssl-servername -x -a '(__fish_print_hostnames)' -d 'SNI and the name checked'
complete -c ipcat -l ssl-alpn -x -d 'ALPN protocols, comma-separated'
complete -c ipcat -l ssl-ciphers -x -d 'OpenSSL cipher list or TLS 1.3 suites'
complete -c ipcat -l ssl-pin -x -d 'accept exactly the peer certificate with this SHA256:HEX'
complete -c ipcat -s v -l verbose -d 'one-line events on stderr'
complete -c ipcat -l stats -d 'at exit: bytes each way, duration and rate'
complete -c ipcat -s m -l max-conns -x -d 'with -k: at most N clients at once'
complete -c ipcat -l broker -d 'with -l: every client\'s lines go to every other client'
complete -c ipcat -l chat -d '--broker, each line prefixed with its sender (<user3>)'
complete -c ipcat -l hex-dump -r -F -d 'every chunk each way as a hex dump in FILE (-: stderr)'
complete -c ipcat -s o -l output -r -F -d 'the raw bytes of both directions into FILE'
complete -c ipcat -l append-output -r -F -d 'the raw bytes, appended to FILE'
complete -c ipcat -l progress -d 'a live meter on stderr: bytes, rates, elapsed, ETA'
complete -c ipcat -s C -l crlf -d 'LF becomes CRLF in what is sent'
complete -c ipcat -l delay -x -d 'pause DUR between writes of what is sent'
complete -c ipcat -l rate -x -d 'pace what is sent to RATE bytes/s (500K, 1M, 2G)'
complete -c ipcat -s n -d 'numeric addresses only: no name lookup'
complete -c ipcat -s b -d 'UDP: allow broadcast destinations'
complete -c ipcat -s T -x -a 'lowdelay throughput reliability lowcost critical inetcontrol netcontrol ef af11 af12 af13 af21 af22 af23 af31 af32 af33 af41 af42 af43 cs0 cs1 cs2 cs3 cs4 cs5 cs6 cs7' -d 'IPv4 TOS / IPv6 traffic class'
complete -c ipcat -s M -x -d 'IPv4 TTL / IPv6 hop limit'
complete -c ipcat -s I -x -d 'receive buffer size (SO_RCVBUF)'
complete -c ipcat -s O -x -d 'send buffer size (SO_SNDBUF)'
complete -c ipcat -l stderr -d 'the child\'s stderr goes to the connection too'
complete -c ipcat -s h -l help -d 'print the usage'
complete -c ipcat -s V -l version -d 'print the version'
