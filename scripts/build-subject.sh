#!/usr/bin/env bash
# Builds a real AOF implementation from its release archive, as a subject for the conformance
# suites and for `aofsim validate redis-server --bin ...`.
#
#   scripts/build-subject.sh ARCHIVE OUT_DIR
#
# ARCHIVE is a release tarball named NAME.tar.gz (redis-X.Y.Z or valkey-X.Y.Z, as published) whose
# top folder is NAME. The server and its AOF checker land in OUT_DIR/NAME/bin/ (redis-server +
# redis-check-aof, or valkey-server + valkey-check-aof). A subject already there is kept: delete
# OUT_DIR/NAME to rebuild. Needs gcc and make (Debian: apt-get install build-essential).
#
# Build flags, by release line:
#   redis 2.x-5.x  MALLOC=libc CFLAGS=-fcommon: the bundled jemalloc of those releases fails with a
#                  current gcc, and gcc >= 10 defaults to -fno-common, which their headers need.
#   redis >= 6     MALLOC=libc BUILD_TLS=no
#   valkey         MALLOC=libc BUILD_TLS=no
# Exit codes: 0 built or already there, 1 the build failed (the log's tail is printed), 2 usage.
set -euo pipefail

usage() { echo "usage: $0 ARCHIVE OUT_DIR   (ARCHIVE: redis-X.Y.Z.tar.gz or valkey-X.Y.Z.tar.gz)" >&2; exit 2; }
[ $# -eq 2 ] || usage
archive=$1
[ -f "$archive" ] || { echo "$0: $archive: no such file" >&2; exit 2; }
name=$(basename "$archive")
name=${name%.tar.gz}
name=${name%.tgz}

case "$name" in
  redis-[2345].*) prog=redis; flags=(MALLOC=libc CFLAGS=-fcommon) ;;
  redis-*) prog=redis; flags=(MALLOC=libc BUILD_TLS=no) ;;
  valkey-*) prog=valkey; flags=(MALLOC=libc BUILD_TLS=no) ;;
  *) echo "$0: $archive: expected a redis-X.Y.Z or valkey-X.Y.Z release archive" >&2; exit 2 ;;
esac

mkdir -p "$2"
dest="$(cd "$2" && pwd)/$name/bin"
if [ -x "$dest/$prog-server" ] && [ -x "$dest/$prog-check-aof" ]; then
  echo "$name: kept ($dest)"
  exit 0
fi
command -v make >/dev/null && command -v cc >/dev/null || { echo "$0: make and a C compiler are needed (apt-get install build-essential)" >&2; exit 1; }

src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
tar -xzf "$archive" -C "$src"
[ -d "$src/$name/src" ] || { echo "$0: $archive has no $name/src folder" >&2; exit 2; }
echo "$name: make ${flags[*]} (a few minutes)"
if ! make -C "$src/$name" -j"$(nproc)" "${flags[@]}" >"$src/build.log" 2>&1; then
  tail -n 40 "$src/build.log" >&2
  echo "$name: build failed" >&2
  exit 1
fi
mkdir -p "$dest"
cp "$src/$name/src/$prog-server" "$src/$name/src/$prog-check-aof" "$dest/"
echo "$name: $("$dest/$prog-server" --version)"
