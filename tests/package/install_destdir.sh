#!/usr/bin/env bash
# cmake --install into a DESTDIR puts the binary, the man page and the three completions where
# distributions look for them, and the installed binary runs.
source "$(dirname "$0")/../e2e/common.sh"
: "${IPCAT_BUILD_DIR:?}"

DESTDIR=$T/stage cmake --install "$IPCAT_BUILD_DIR" --prefix /usr >install.log
for f in usr/bin/ipcat usr/share/man/man1/ipcat.1 usr/share/bash-completion/completions/ipcat \
  usr/share/zsh/site-functions/_ipcat usr/share/fish/vendor_completions.d/ipcat.fish; do
  [[ -s $T/stage/$f ]] || fail "not installed: /$f"
done
[[ -x $T/stage/usr/bin/ipcat ]] || fail "installed ipcat is not executable"
version=$("$T/stage/usr/bin/ipcat" --version)
[[ $version == "ipcat "* ]] || fail "installed ipcat --version printed '$version'"
# The installed man page is the one in the tree.
cmp -s "$T/stage/usr/share/man/man1/ipcat.1" "$IPCAT_SOURCE_DIR/man/ipcat.1" || fail "man page differs"
