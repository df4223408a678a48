#!/usr/bin/env bash
# completions/ipcat.fish completes what a user types (fish's own `complete -C`, which runs the
# same machinery as TAB): every option of --help, --keep-open from --ke, only --uuid=v1 ...
# --uuid=v7 after --uuid=, the four namespaces after --namespace, paths after -U and inside
# unix:/fifo:/file: addresses, the address types (unix:, unix-listen:, ..., uuid:v7, -, stdio),
# and neither types nor files after -l.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$here/common.sh"
need fish

src=${IPCAT_SOURCE_DIR:-$here/../..}
comp=$src/completions/ipcat.fish
[[ -f $comp ]] || fail "missing $comp"
fish --no-execute "$comp" 2>syntax.err || fail "fish --no-execute $comp: $(show syntax.err)"

completion_setup # sets opts and F
mkdir -p "$T/home"
# fish keeps its history and variables under these; keep them in the scenario's directory.
export HOME=$T/home XDG_CONFIG_HOME=$T/home/.config XDG_DATA_HOME=$T/home/.local/share

# All the lines are completed by one fish: for each line of lines.txt it prints the
# candidates (without their descriptions), then "end".
cat >complete.fish <<'EOF'
source $argv[1]
while read -l line
    complete -C "$line" | string replace -r '\t.*' ''
    echo end
end <$argv[2]
EOF

queries=()
q() { queries+=("$1"); }
q "ipcat --ke"
q "ipcat -"
q "ipcat --"
q "ipcat --uuid="
q "ipcat --uu"
q "ipcat -U $F/a"
q "ipcat -lU $F/a."
q "ipcat --uuid -lU $F/di"
q "ipcat unix:$F/a.s"
q "ipcat unix-listen:$F/di"
q "ipcat fifo:$F/a.s"
q "ipcat - file:$F/a.o"
q "ipcat un"
q "ipcat "
q "ipcat uuid:"
q "ipcat st"
q "ipcat -l "
q "ipcat -ul 127.0.0.1 "
q "ipcat --uuid=v5 --namespace "
printf '%s\n' "${queries[@]}" >lines.txt
timeout 30 fish --no-config complete.fish "$comp" lines.txt >all.out 2>fish.err ||
  fail "fish failed: $(show fish.err)"
assert_empty fish.err "fish's stderr"

# answers N: the candidates for query N (0-based), one a line, in $T/replies.
answers() {
  awk -v n="$1" '$0 == "end" { i++; next } i == n' all.out >replies
}
# query_text N: query N as typed.
query_text() { printf '%s' "${queries[$1]}"; }

(($(grep -cx end all.out) == ${#queries[@]})) || fail "fish answered $(grep -cx end all.out) of ${#queries[@]} queries"
offers_only 0 --keep-open
mapfile -t short < <(printf '%s\n' "${opts[@]}" | grep -v '^--')
mapfile -t long < <(printf '%s\n' "${opts[@]}" | grep '^--')
offers 1 "${opts[@]}" -
offers 2 "${long[@]}"
((${#short[@]} > 10 && ${#long[@]} > 10)) || fail "too few options parsed: ${opts[*]}"
offers_only 3 --uuid=v1 --uuid=v3 --uuid=v4 --uuid=v5 --uuid=v7
offers_only 4 --uuid --uuid=v1 --uuid=v3 --uuid=v4 --uuid=v5 --uuid=v7
offers_only 5 "$F/a.sock" "$F/a.other"
offers_only 6 "$F/a.sock" "$F/a.other"
offers_only 7 "$F/dir.d/"
offers_only 8 "unix:$F/a.sock"
offers_only 9 "unix-listen:$F/dir.d/"
offers_only 10 "fifo:$F/a.sock"
offers_only 11 "file:$F/a.other"
offers_only 12 unix: unix-listen: unix-connect: unix-dgram: unix-dgram-listen: unix-sendto: unix-recvfrom:
offers 13 - stdio unix: unix-listen: tcp: tcp-listen: udp: udp-listen: fifo: file: exec: uuid uuid:v1 uuid:v3 uuid:v4 \
  uuid:v5 uuid:v7 tcp4: tcp6: udp4: udp6: tcp-connect: udp-connect: pipe: system:
offers_only 14 uuid:v1 uuid:v3 uuid:v4 uuid:v5 uuid:v7
offers_only 15 stdio
offers_only 16
offers_only 17
offers_only 18 @dns @url @oid @x500
