#!/usr/bin/env bash
# completions/_ipcat is a valid zsh completion (#compdef ipcat, _arguments) that completes what
# a user types. The check is real: an interactive `zsh -f -i` runs on a pseudo-terminal (zsh's
# own zsh/zpty module), loads the file through compinit, and is typed each line followed by TAB;
# a wrapper around compadd records every match the completion system offers, and a key bound
# after TAB records the command line as TAB left it. So it checks every option of --help from
# its own prefix, --ke becoming --keep-open, v1, v3, v4, v5 and v7 after --uuid=, paths after -U and
# inside unix:/fifo:/file: addresses, the address types (unix:, unix-listen:, ..., uuid:v7, -,
# stdio), and neither types nor files after -l.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$here/common.sh"
need zsh

src=${IPCAT_SOURCE_DIR:-$here/../..}
comp=$src/completions/_ipcat
[[ -f $comp ]] || fail "missing $comp"
zsh -n "$comp" 2>syntax.err || fail "zsh -n $comp: $(show syntax.err)"
[[ $(head -n 1 "$comp") == "#compdef ipcat" ]] || fail "$comp does not start with '#compdef ipcat'"
grep -q '_arguments' "$comp" || fail "$comp does not use _arguments"
zsh -fc 'zmodload zsh/zpty' 2>/dev/null || { echo "SKIP: zsh has no zsh/zpty module" >&2; exit 77; }

completion_setup # sets opts and F
mkdir -p "$T/home"
export HOME=$T/home

# The completion directory holds only _ipcat, so the test sees this file and no installed one.
mkdir -p compdir
cp "$comp" compdir/_ipcat

# The driver: `zsh -f driver.zsh COMPDIR LINES_FILE` types each line of LINES_FILE and TAB into
# an interactive zsh on a zpty; the completion system's matches come back as "MATCH:word" (with
# the prefix compset moved aside), the command line after TAB as "BUFFER:line", then a marker.
cat >driver.zsh <<'EOF'
zmodload zsh/zpty || exit 3
compdir=$1
lines=$2
init=${0:h}/init.zsh
cat >$init <<INIT
PS1=''; PS2=''; RPS1=''
fpath=($compdir \$fpath)
autoload -Uz compinit && compinit -u -D
# No commands to complete after -e/-c (all of PATH would only make the test slow), and no
# environment variables (they are not ipcat's business).
path=()
compadd() {
  # A caller that only asks which words match (-O, -A, -D) adds nothing: let it be.
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then
    builtin compadd "\$@"
    return
  fi
  local -a __m
  builtin compadd -O __m "\$@"
  local x
  for x in \$__m; do print -r -- "MATCH:\$IPREFIX\$x"; done
  builtin compadd "\$@"
}
_ipcat_test_buffer() { print -r -- "BUFFER:\$BUFFER"; print -r -- '@@IPCAT-END@@'; BUFFER=''; }
zle -N _ipcat_test_buffer
bindkey '^I' complete-word
bindkey '^B' _ipcat_test_buffer
setopt nobeep
unsetopt autolist listambiguous
zstyle ':completion:*' menu no
zstyle ':completion:*' list-prompt ''
LISTMAX=100000
print -r -- 'READY'
INIT
zpty z 'zsh -f -i' || exit 3
zpty -w z "source $init"
zpty -r -m z out '*READY*' || exit 3
while IFS= read -r line; do
  print -r -- "=== $line"
  zpty -w -n z "$line"$'\t'$'\x02'
  zpty -r -m z out '*@@IPCAT-END@@*' || exit 3
  print -r -- "$out"
done <$lines
zpty -d z
EOF

queries=(
  "ipcat --ke"
  "ipcat -"
  "ipcat --uuid="
  "ipcat --uu"
  "ipcat -U $F/a.s"
  "ipcat -lU $F/a.o"
  "ipcat --uuid -lU $F/di"
  "ipcat unix:$F/a.s"
  "ipcat unix-listen:$F/di"
  "ipcat fifo:$F/a.s"
  "ipcat - file:$F/a.o"
  "ipcat un"
  "ipcat "
  "ipcat uuid:"
  "ipcat st"
  "ipcat -l "
  "ipcat -ul 127.0.0.1 "
  "ipcat --mode=6"
)
# Each long option from its full name (a short one is complete as typed: TAB then offers the
# options that may follow it in a cluster, so "ipcat -" above checks those).
mapfile -t long < <(printf '%s\n' "${opts[@]}" | grep '^--')
((${#long[@]} >= 15)) || fail "parsed only ${#long[@]} long options from --help"
for o in "${long[@]}"; do
  queries+=("ipcat $o")
done
printf '%s\n' "${queries[@]}" >lines.txt
timeout 60 zsh -f driver.zsh "$T/compdir" "$T/lines.txt" >raw.out 2>driver.err ||
  fail "the zsh driver failed (status $?): $(show driver.err)"
# Keep the records only, without the terminal's carriage returns and escape sequences.
tr -d '\r' <raw.out | sed -E 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[=>]//g' |
  grep -aoE '^=== .*|(MATCH|BUFFER):.*|@@IPCAT-END@@' >all.out || true
(($(grep -cx @@IPCAT-END@@ all.out) == ${#queries[@]})) ||
  fail "zsh answered $(grep -cx @@IPCAT-END@@ all.out) of ${#queries[@]} lines: $(head -c 2000 all.out)"

# answers N: query N's matches, one a line, in $T/replies; its command line after TAB in $buffer.
answers() {
  awk -v n="$1" '/^=== / { i++; next } i == n + 1' all.out >block
  grep '^MATCH:' block | sed 's/^MATCH://' | sort -u >replies || true
  buffer=$(grep -m1 '^BUFFER:' block | sed 's/^BUFFER://') || true
}
# query_text N: query N as typed.
query_text() { printf '%s' "${queries[$1]}"; }
# becomes N LINE: TAB turned query N into LINE.
becomes() {
  answers "$1"
  [[ $buffer == "$2" ]] || fail "'${queries[$1]}<TAB>' gave '$buffer', expected '$2'"
}

becomes 0 "ipcat --keep-open "
offers 1 "${opts[@]}" -
offers_only 2 --uuid=v1 --uuid=v3 --uuid=v4 --uuid=v5 --uuid=v7
becomes 2 "ipcat --uuid=v"
offers 3 --uuid
becomes 4 "ipcat -U $F/a.sock "
becomes 5 "ipcat -lU $F/a.other "
becomes 6 "ipcat --uuid -lU $F/dir.d/"
becomes 7 "ipcat unix:$F/a.sock "
becomes 8 "ipcat unix-listen:$F/dir.d/"
becomes 9 "ipcat fifo:$F/a.sock "
becomes 10 "ipcat - file:$F/a.other "
offers_only 11 unix: unix-listen: unix-connect: unix-dgram: unix-dgram-listen: unix-sendto: unix-recvfrom:
offers 12 - stdio unix: unix-listen: tcp: tcp-listen: udp: udp-listen: fifo: file: exec: uuid uuid:v1 uuid:v3 uuid:v4 \
  uuid:v5 uuid:v7 tcp4: tcp6: udp4: udp6: tcp-connect: udp-connect: pipe: system:
offers_only 13 uuid:v1 uuid:v3 uuid:v4 uuid:v5 uuid:v7
becomes 14 "ipcat stdio "
offers_only 15
becomes 15 "ipcat -l "
offers_only 16
offers_only 17 --mode=600 --mode=660 --mode=666
n=18
for o in "${long[@]}"; do
  offers "$n" "$o"
  n=$((n + 1))
done
