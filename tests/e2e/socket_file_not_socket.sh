#!/usr/bin/env bash
# A listener never touches what is at its path unless it is a socket: a regular file, a
# directory, a FIFO, a symlink (to a file, dangling, or to a stale socket) give status 1, one
# error line naming the path, and stay exactly as they were.
source "$(dirname "$0")/common.sh"
need python3

echo "precious data" >file
mkdir dir && echo inside >dir/f
mkfifo fifo
echo target >target && ln -s target link-file
ln -s nowhere link-dangling
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' stale.sock
ln -s stale.sock link-socket

for p in file dir fifo link-file link-dangling link-socket; do
  path=$T/$p
  before=$(stat -c '%F %i %s %Y' "$path"; readlink "$path" || true)
  expect_status 1 "$IPCAT" -lU "$path" </dev/null >"$p.out" 2>"$p.err"
  assert_error "$p.err" "$path"
  assert_empty "$p.out" "$p: stdout"
  after=$(stat -c '%F %i %s %Y' "$path"; readlink "$path" || true)
  assert_eq "$before" "$after" "$p: type, inode, size, mtime (and link target)"
done
assert_eq "precious data" "$(cat file)" "the regular file's content"
assert_eq inside "$(cat dir/f)" "the directory's content"
assert_eq "dir/f" "$(cd "$T" && find dir -mindepth 1)" "the directory's entries"
assert_eq target "$(cat target)" "the symlink's target"
[[ -S stale.sock ]] || fail "the stale socket behind the symlink was removed"
