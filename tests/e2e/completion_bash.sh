#!/usr/bin/env bash
# completions/ipcat.bash completes what a user types: every option of --help from its own
# prefix, --keep-open from --ke, v1, v3, v4, v5 and v7 after --uuid=, the four namespaces after
# --namespace, paths after -U and inside unix:/fifo:/file: addresses, the address types (unix:, unix-listen:, ..., uuid:v7, -, stdio),
# and nothing but hosts and ports after -l. Checked twice: with bash-completion's helpers loaded
# (as in an interactive shell) and with the file alone.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$here/common.sh"
bc=/usr/share/bash-completion/bash_completion
[[ -r $bc ]] || { echo "SKIP: bash-completion not installed ($bc)" >&2; exit 77; }

src=${IPCAT_SOURCE_DIR:-$here/../..}
comp=$src/completions/ipcat.bash
[[ -f $comp ]] || fail "missing $comp"
bash -n "$comp" || fail "bash -n $comp: syntax error"

completion_setup # sets opts and F

# The harness: a fresh non-interactive bash that loads the completion (after bash-completion
# when LOAD_BC=1), splits each line of stdin as readline would (words at blanks, and ':' and '='
# as words of their own, COMP_WORDBREAKS' defaults), calls _ipcat with the cursor at the end of
# the line, and prints one "reply<TAB>WORD" line for each element of COMPREPLY, then "end".
cat >harness.bash <<'EOF'
if [[ $LOAD_BC == 1 ]]; then
  source /usr/share/bash-completion/bash_completion
fi
source "$COMP_FILE"
complete -p ipcat >/dev/null || { echo "ipcat is not registered with complete" >&2; exit 1; }
[[ $(complete -p ipcat) == *"-F _ipcat"* ]] || { echo "not complete -F _ipcat: $(complete -p ipcat)" >&2; exit 1; }
while IFS= read -r line; do
  COMP_LINE=$line
  COMP_POINT=${#line}
  COMP_WORDS=()
  w=
  for ((k = 0; k < ${#line}; k++)); do
    c=${line:k:1}
    if [[ $c == ' ' ]]; then
      [[ -n $w ]] && COMP_WORDS+=("$w")
      w=
    elif [[ $c == [:=] ]]; then
      [[ -n $w ]] && COMP_WORDS+=("$w")
      COMP_WORDS+=("$c")
      w=
    else
      w+=$c
    fi
  done
  if [[ -n $w || $line == *' ' ]]; then
    COMP_WORDS+=("$w")
  fi
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _ipcat ipcat "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  printf 'reply\t%s\n' "${COMPREPLY[@]}"
  echo end
done
EOF

# start_harness MODE: the harness as a coprocess (1: with bash-completion, 0: without).
start_harness() {
  coproc HARNESS { LOAD_BC=$1 COMP_FILE=$comp exec bash --norc --noprofile harness.bash 2>harness.err; }
}
stop_harness() {
  eval "exec ${HARNESS[1]}>&-"
  wait "$HARNESS_PID" || fail "[$what] the harness failed: $(show harness.err)"
}
# complete_line LINE: COMPREPLY for LINE, one word a line, in $T/replies.
complete_line() {
  local l
  printf '%s\n' "$1" >&"${HARNESS[1]}"
  : >replies
  while true; do
    IFS= read -r -t 20 l <&"${HARNESS[0]}" || fail "[$what] no answer from the harness for '$1': $(show harness.err)"
    [[ $l == end ]] && break
    [[ $l == reply$'\t'?* ]] && printf '%s\n' "${l#reply$'\t'}" >>replies
  done
}
# answers LINE, query_text LINE: for offers and offers_only (common.sh).
answers() { complete_line "$1"; }
query_text() { printf '[%s] %s' "$what" "$1"; }

for mode in 1 0; do
  if ((mode == 1)); then what="with bash-completion"; else what="without bash-completion"; fi
  start_harness "$mode"

  offers_only "ipcat --ke" --keep-open
  offers "ipcat -" "${opts[@]}" -
  for o in "${opts[@]}"; do
    offers "ipcat $o" "$o"
  done
  offers_only "ipcat --uuid=" v1 v3 v4 v5 v7
  offers_only "ipcat --uuid=v" v1 v3 v4 v5 v7
  offers_only "ipcat --uu" --uuid --uuid=v1 --uuid=v3 --uuid=v4 --uuid=v5 --uuid=v7
  offers_only "ipcat --uuid=v5 --namespace " @dns @url @oid @x500
  offers_only "ipcat --uuid=v5 --namespace @d" @dns
  offers_only "ipcat --name" --name --namespace

  # Paths after -U (also in a cluster), and inside path addresses. Readline completes only the
  # part after the last ':' (a word break), so that is what comes back.
  # bash-completion's _filedir leaves the slash of a directory to readline (-o filenames).
  if ((mode == 1)); then slash=; else slash=/; fi
  offers "ipcat -U /tm" "/tmp$slash"
  offers_only "ipcat -lU $F/a" "$F/a.sock" "$F/a.other"
  offers_only "ipcat --uuid -lU $F/a." "$F/a.sock" "$F/a.other"
  offers_only "ipcat -U $F/di" "$F/dir.d$slash"
  offers_only "ipcat unix:$F/a.s" "$F/a.sock"
  offers_only "ipcat unix-listen:$F/di" "$F/dir.d/"
  offers_only "ipcat fifo:$F/a.s" "$F/a.sock"
  offers_only "ipcat file:$F/a.o" "$F/a.other"
  offers_only "ipcat - file:$F/a.o" "$F/a.other"

  # Address types.
  offers "ipcat un" unix: unix-listen: unix-connect: unix-dgram: unix-dgram-listen: unix-sendto: unix-recvfrom:
  offers "ipcat " - stdio unix: unix-listen: tcp: tcp-listen: udp: udp-listen: fifo: file: exec: uuid uuid:v1 uuid:v3 uuid:v4 \
    uuid:v5 uuid:v7 tcp4: tcp6: udp4: udp6: tcp-connect: udp-connect: pipe: system:
  offers_only "ipcat uuid:" v1 v3 v4 v5 v7
  offers_only "ipcat st" stdio
  offers_only "ipcat --uuid --count 3 fi" fifo: file:

  # After -l or -u the operands are a host and a port: no address types, no files.
  offers_only "ipcat -l "
  offers_only "ipcat -ul 127.0.0.1 "
  # Option values.
  offers_only "ipcat --mode 6" 600 660 666
  offers_only "ipcat -q "
  stop_harness
done
