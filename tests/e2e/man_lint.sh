#!/usr/bin/env bash
# man/ipcat.1 is clean mdoc: `mandoc -Tlint -Wall` reports nothing at all (errors, warnings and
# style messages alike), it renders, and it has the sections a reader looks for.
#
# With -Wall, mandoc also checks that every .Xr reference names an installed manual (nc(1),
# socat(1), ncat(1), flock(1), fifo(7), unix(7), sendfile(2), ...), so the packages that hold
# them must be installed: manpages, manpages-dev, netcat-openbsd, ncat, socat, util-linux.
# When it finds such a manual as a file but has no mandoc.db (Debian builds none by default),
# it prints "outdated mandoc.db lacks NAME(SECTION) entry, run makewhatis ...": a note about
# the host's database, not about the page, and the only line this test lets through.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$here/common.sh"
need mandoc

src=${IPCAT_SOURCE_DIR:-$here/../..}
man=$src/man/ipcat.1
[[ -f $man ]] || fail "missing $man"

rc=0
mandoc -Tlint -Wall "$man" >lint.out 2>&1 || rc=$?
tolerated='^mandoc: outdated mandoc\.db lacks [^ ]+ entry, run makewhatis '
if [[ ! -e /usr/share/man/man7/unix.7.gz && ! -e /usr/share/man/man7/unix.7 ]]; then
  # A minimal system (a container image built with man pages excluded) has no manuals to
  # cross-reference: only then are the "referenced manual not found" notes let through.
  echo "note: no installed manuals to cross-reference; .Xr checks skipped" >&2
  tolerated="$tolerated|referenced manual not found"
fi
grep -vE "$tolerated" lint.out >lint.err || true
if [[ -s lint.err ]]; then
  cat lint.err >&2
  fail "mandoc -Tlint -Wall reports $(wc -l <lint.err) message(s) on man/ipcat.1 (status $rc)"
fi

# It renders, as mandoc and (if installed) as man-db's man would show it.
mandoc -Tutf8 "$man" >render.txt 2>render.err || fail "mandoc -Tutf8 failed: $(show render.err)"
assert_empty render.err "mandoc -Tutf8's stderr"
if command -v man >/dev/null && command -v groff >/dev/null; then
  LC_ALL=C MANWIDTH=80 man -l "$man" >man.txt 2>man.err || fail "man -l failed: $(show man.err)"
  assert_empty man.err "man -l's stderr"
  (($(awk '{ if (length > 80) n++ } END { print n + 0 }' man.txt) == 0)) ||
    fail "man -l at 80 columns has lines longer than 80 characters"
fi

# The sections, in the order a reader expects them.
want=(NAME SYNOPSIS DESCRIPTION ADDRESSES "CLIENT/SERVER MODEL" "DATA TRANSFER" "UNIX SOCKET FILES"
  "UDP AND DATAGRAMS" FIFOS "SHARED FILES" "THE UUID GENERATOR" ENVIRONMENT "EXIT STATUS" EXAMPLES
  "SEE ALSO")
grep -E '^\.Sh ' "$man" | sed 's/^\.Sh //' >sections
i=0
while read -r s; do
  [[ $i -lt ${#want[@]} && $s == "${want[i]}" ]] && i=$((i + 1))
done <sections
((i == ${#want[@]})) ||
  fail "man/ipcat.1 lacks section '${want[i]}' (or has it out of order): $(tr '\n' ',' <sections)"

# What the kernel, not ipcat, loses is said where FIFOs are explained.
sed -n '/^\.Sh FIFOS/,/^\.Sh /p' "$man" | tr '\n' ' ' |
  grep -q "already in the kernel's pipe buffer when the last reader dies are lost by the kernel" ||
  fail "FIFOS does not say that bytes in the kernel's pipe buffer are lost when the last reader dies"
