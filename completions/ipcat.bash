# bash completion for ipcat(1)                                  -*- shell-script -*-
# Completes every flag of `ipcat --help` (short and long), the values of --uuid= (v1, v3, v4,
# v5, v7) and --namespace (@dns, @url, @oid, @x500), the socat-style address types (unix:,
# unix-listen:, ..., uuid, uuid:v1, ..., uuid:v7, -, stdio), file paths after -U and inside
# path addresses (unix:PATH, fifo:PATH, file:PATH, ...), and commands after -e/-c and exec:.
# Uses bash-completion's helpers when they are loaded, and works (more plainly) without them.
# shellcheck disable=SC2207 # COMPREPLY=($(compgen ...)) is the idiom; the words have no blanks
# shellcheck disable=SC2016 # compgen -W expands its word list itself

_ipcat_short_flags=(-l -U -u -k -4 -6 -s -p -N -q -w -i -z -d -e -c -x -X -P -v -h -V -m -o -C -n -b -T -M -I -O)
_ipcat_long_flags=(--listen --unix --udp --keep-open --no-shutdown --idle-timeout --recv-only
  --send-only --exec --sh-exec --uuid --uuid=v1 --uuid=v3 --uuid=v4 --uuid=v5
  --uuid=v7 --namespace --name --count --interval --echo --retry --retry= --retry-interval
  --mode --allow-uid --allow-gid --allow --deny --proxy --proxy-type --proxy-auth --proxy-dns
  --verbose --stats --help --version --stderr
  --pty --raw --escape)
# Services: a cap on clients, the broker and its chat.
_ipcat_long_flags+=(
  --max-conns --broker --chat)
# Seeing and shaping the stream.
_ipcat_long_flags+=(
  --hex-dump --output --append-output --progress --crlf --delay --rate)
# TLS (ncat's names).
_ipcat_long_flags+=(
  --ssl --ssl-cert --ssl-key --ssl-trustfile --ssl-verify --ssl-verify= --ssl-servername
  --ssl-alpn --ssl-ciphers --ssl-pin)
# Address types that take an argument after the colon (completed without a trailing space).
_ipcat_prefix_types=(unix: unix-listen: unix-connect: unix-dgram: unix-dgram-listen:
  unix-sendto: unix-recvfrom: tcp: tcp-connect: tcp4: tcp6: tcp-listen: tcp4-listen:
  tcp6-listen: udp: udp-connect: udp4: udp6: udp-listen: udp4-listen: udp6-listen: fifo: pipe:
  file: exec: system: serial: socks4: socks4a: socks5: proxy: accept-fd: fd:)
_ipcat_prefix_types+=(tls: tls-listen: openssl: openssl-connect: openssl-listen:)
# Whole addresses.
_ipcat_word_types=(- stdio uuid uuid:v1 uuid:v3 uuid:v4 uuid:v5 uuid:v7 pty)

# _ipcat_files PREFIX PATH: COMPREPLY gets PREFIX followed by every file name that starts with
# PATH, directories with a trailing slash.
_ipcat_files() {
  local prefix=$1 path=$2 f
  local IFS=$'\n'
  for f in $(compgen -f -- "$path"); do
    [[ -d $f ]] && f+=/
    COMPREPLY+=("$prefix$f")
  done
}

_ipcat() {
  local IFS=$' \t\n' # word splitting of compgen's output below, whatever the caller's IFS
  local cur prev words cword split=false
  if declare -F _init_completion >/dev/null 2>&1; then
    # -s: "--uuid=v" gives prev=--uuid, cur=v; -n :: "unix:/tm" stays one word.
    _init_completion -s -n : || return
  else
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    # Without bash-completion, "--uuid=v" arrives as three words: --uuid, =, v.
    if [[ $cur == = ]]; then
      cur=
      split=true
    elif [[ $prev == = ]]; then
      prev=${COMP_WORDS[COMP_CWORD - 2]}
      split=true
    elif [[ $prev == : ]]; then
      # "unix:/tm" arrives as unix, :, /tm; readline completes only "/tm".
      case ${COMP_WORDS[COMP_CWORD - 2],,} in
        exec | system) COMPREPLY=($(compgen -c -- "$cur")) ;;
        uuid) COMPREPLY=($(compgen -W 'v1 v3 v4 v5 v7' -- "$cur")) ;;
        tcp* | udp* | tls* | openssl*) ;;
        *)
          _ipcat_files "" "$cur"
          compopt -o nospace 2>/dev/null
          ;;
      esac
      return 0
    elif [[ $cur == : ]]; then
      cur=
      prev=${COMP_WORDS[COMP_CWORD - 1]}
      case ${prev,,} in
        uuid) COMPREPLY=(v1 v3 v4 v5 v7) ;;
        exec | system | tcp* | udp* | tls* | openssl*) ;;
        *)
          _ipcat_files "" ""
          compopt -o nospace 2>/dev/null
          ;;
      esac
      return 0
    fi
  fi

  # The value of an option.
  case $prev in
    --uuid)
      if [[ $split == true ]]; then
        COMPREPLY=($(compgen -W 'v1 v3 v4 v5 v7' -- "$cur"))
        return 0
      fi
      ;;
    --retry)
      [[ $split == true ]] && return 0 # a count
      ;;
    --ssl-cert | --ssl-key | --ssl-trustfile)
      _ipcat_files "" "$cur"
      compopt -o nospace 2>/dev/null
      return 0
      ;;
    --ssl-verify)
      [[ $split == true ]] && COMPREPLY=($(compgen -W 'yes no' -- "$cur"))
      [[ $split == true ]] && return 0
      ;;
    --ssl-servername | --ssl-alpn | --ssl-ciphers | --ssl-pin)
      return 0 # a name, a list or a digest
      ;;
    -e | --exec | -c | --sh-exec)
      COMPREPLY=($(compgen -c -- "$cur"))
      return 0
      ;;
    -s)
      # With -U (a Unix datagram client, -Uu -s PATH) the value is the client's own socket path.
      local w
      for w in "${words[@]}"; do
        if [[ $w == --unix || $w =~ ^-[a-zA-Z]*U ]]; then
          _ipcat_files "" "$cur"
          compopt -o nospace 2>/dev/null
          return 0
        fi
      done
      if declare -F _known_hosts_real >/dev/null 2>&1; then
        _known_hosts_real -- "$cur"
      else
        COMPREPLY=($(compgen -A hostname -- "$cur"))
      fi
      return 0
      ;;
    --hex-dump | -o | --output | --append-output)
      if declare -F _filedir >/dev/null 2>&1; then
        _filedir
      else
        _ipcat_files "" "$cur"
        compopt -o nospace 2>/dev/null
      fi
      return 0
      ;;
    --delay | --rate)
      return 0 # a duration, a rate
      ;;
    --mode)
      COMPREPLY=($(compgen -W '600 660 666 700 770 777' -- "$cur"))
      return 0
      ;;
    --allow-uid)
      COMPREPLY=($(compgen -u -- "$cur"))
      return 0
      ;;
    --allow-gid)
      COMPREPLY=($(compgen -g -- "$cur"))
      return 0
      ;;
    --allow | --deny)
      return 0 # an address block
      ;;
    --namespace)
      COMPREPLY=($(compgen -W '@dns @url @oid @x500' -- "$cur"))
      return 0
      ;;
    --name)
      return 0 # any text
      ;;
    --escape)
      COMPREPLY=($(compgen -W '^] ^A ^B ^X none' -- "$cur"))
      return 0
      ;;
    -X)
      COMPREPLY=($(compgen -W '4 5 connect' -- "$cur"))
      return 0
      ;;
    --proxy-type)
      COMPREPLY=($(compgen -W 'socks4 socks4a socks5 http' -- "$cur"))
      return 0
      ;;
    --proxy-dns)
      COMPREPLY=($(compgen -W 'local remote both none' -- "$cur"))
      return 0
      ;;
    -x | -P | --proxy | --proxy-auth)
      return 0 # a proxy ADDR:PORT (or ncat's hex dump file), a user, credentials
      ;;
    -p | -q | -w | -i | --idle-timeout | --count | --interval | --retry-interval | -m | --max-conns)
      return 0 # a port, a number or a duration
      ;;
    -T)
      COMPREPLY=($(compgen -W 'lowdelay throughput reliability lowcost critical inetcontrol
        netcontrol ef af11 af12 af13 af21 af22 af23 af31 af32 af33 af41 af42 af43 cs0 cs1 cs2 cs3
        cs4 cs5 cs6 cs7' -- "$cur"))
      return 0
      ;;
    -M | -I | -O)
      return 0 # a number
      ;;
  esac
  if [[ $split == true ]]; then
    return 0 # --count=..., --mode=...: a value, nothing to offer
  fi

  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W '${_ipcat_short_flags[*]} ${_ipcat_long_flags[*]}' -- "$cur"))
    [[ $cur == - ]] && COMPREPLY+=(-) # "-" is also the stdio address
    if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]]; then
      compopt -o nospace 2>/dev/null
    fi
    return 0
  fi

  # Which form is it? -U takes a path; -l or -u without -U take [host] port.
  local i w unix=false netcat=false
  for ((i = 1; i < cword; i++)); do
    w=${words[i]}
    case ${words[i - 1]} in
      --hex-dump | -o | --output | --append-output | --delay | --rate)
        continue # the value of a shaping option
        ;;
      -s | -p | -q | -w | -i | -e | -c | --idle-timeout | --exec | --sh-exec | --count | \
        --interval | --retry-interval | --mode | --allow-uid | --allow-gid | --allow | --deny | \
        --namespace | --name | --escape | -m | --max-conns | -x | -X | -P | --proxy | --proxy-type | \
        --proxy-auth | --proxy-dns | -T | -M | -I | -O)
        continue # the value of an option
        ;;
    esac
    case $w in
      --unix) unix=true ;;
      --listen | --udp) netcat=true ;;
      --*) ;;
      -*U*) unix=true ;;
      -*[lu]*) netcat=true ;;
    esac
  done
  if [[ $unix == true ]]; then
    if declare -F _filedir >/dev/null 2>&1; then
      _filedir
    else
      _ipcat_files "" "$cur"
      compopt -o nospace 2>/dev/null
    fi
    return 0
  fi
  [[ $netcat == true ]] && return 0 # a host or a port

  # An address: a type, or what follows the type's colon.
  local type=${cur%%:*} arg=${cur#*:}
  if [[ $cur == *:* ]]; then
    case ${type,,} in
      unix | unix-listen | unix-connect | unix-dgram | unix-dgram-listen | unix-sendto | \
        unix-recvfrom | fifo | pipe | file | serial)
        _ipcat_files "$type:" "$arg"
        compopt -o nospace 2>/dev/null
        ;;
      exec | system)
        local c
        for c in $(compgen -c -- "$arg" | sort -u); do
          COMPREPLY+=("$type:$c")
        done
        ;;
      uuid)
        COMPREPLY=($(compgen -W 'uuid:v1 uuid:v3 uuid:v4 uuid:v5 uuid:v7' -- "$cur"))
        ;;
    esac
  else
    COMPREPLY=($(compgen -W '${_ipcat_prefix_types[*]}' -- "$cur"))
    if ((${#COMPREPLY[@]})); then
      compopt -o nospace 2>/dev/null
    fi
    COMPREPLY+=($(compgen -W '${_ipcat_word_types[*]}' -- "$cur"))
  fi
  if declare -F __ltrim_colon_completions >/dev/null 2>&1; then
    __ltrim_colon_completions "$cur"
  fi
  return 0
} &&
  complete -F _ipcat ipcat
