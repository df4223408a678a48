#!/usr/bin/env bash
# cpack -G DEB builds a package whose dependencies are the shared libraries ipcat links;
# dpkg installs it (binary, man page, completions in place) and removes it cleanly.
source "$(dirname "$0")/../e2e/common.sh"
: "${IPCAT_BUILD_DIR:?}"
need cpack dpkg dpkg-deb dpkg-shlibdeps
if ((EUID != 0)); then
  echo "SKIP: installing a package needs root" >&2
  exit 77
fi
if dpkg-query -W -f='${Status}' ipcat 2>/dev/null | grep -q 'install ok installed'; then
  echo "SKIP: an ipcat package is already installed on this machine; not touching it" >&2
  exit 77
fi

# Package a copy of the build so parallel tests never see a half-written _CPack_Packages.
(cd "$IPCAT_BUILD_DIR" && cpack -G DEB -B "$T/pkg" >"$T/cpack.log" 2>&1) || {
  cat "$T/cpack.log" >&2
  fail "cpack failed"
}
deb=$(ls "$T"/pkg/ipcat_*.deb)
[[ -f $deb ]] || fail "no .deb produced"

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
# libuuid1: the v1, v3 and v5 UUIDs come from libuuid; libssl3: TLS.
for lib in libc6 libstdc++6 libgcc-s1 libuuid1 libssl3; do
  [[ $depends == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done
# Nothing from the build-time world may leak into the runtime dependencies.
[[ $depends != *asan* && $depends != *ubsan* && $depends != *-dev* ]] || fail "odd Depends: $depends"

contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/ipcat ./usr/share/man/man1/ipcat.1 ./usr/share/bash-completion/completions/ipcat \
  ./usr/share/zsh/site-functions/_ipcat ./usr/share/fish/vendor_completions.d/ipcat.fish; do
  grep -qF " $f" <<<"$contents" || fail "package lacks $f"
done

trap 'rc=$?; dpkg -r ipcat >/dev/null 2>&1 || true; (exit $rc); _cleanup' EXIT
dpkg -i "$deb" >dpkg-i.log 2>&1 || { cat dpkg-i.log >&2; fail "dpkg -i failed"; }
[[ $(/usr/bin/ipcat --version) == "ipcat "* ]] || fail "installed /usr/bin/ipcat does not run"
/usr/bin/ipcat --uuid --count 3 >uuids
is_uuid_lines uuids || fail "installed ipcat made bad UUIDs"
assert_eq 3 "$(wc -l <uuids)" "UUID count"
/usr/bin/ipcat --uuid=v5 --namespace @dns --name www.example.com >v5 || fail "installed ipcat: v5 failed"
# RFC 9562, appendix A.4.
assert_eq 2ed6657d-e927-568b-95e1-2665a8aea6a2 "$(cat v5)" "v5 of www.example.com"

dpkg -r ipcat >dpkg-r.log 2>&1 || { cat dpkg-r.log >&2; fail "dpkg -r failed"; }
[[ ! -e /usr/bin/ipcat ]] || fail "/usr/bin/ipcat still there after dpkg -r"
[[ ! -e /usr/share/man/man1/ipcat.1 && ! -e /usr/share/man/man1/ipcat.1.gz ]] || fail "man page left behind"
if dpkg-query -W -f='${Status}' ipcat 2>/dev/null | grep -q 'install ok installed'; then
  fail "dpkg still lists ipcat as installed"
fi
