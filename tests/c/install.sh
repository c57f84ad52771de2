#!/usr/bin/env bash
# `make install` as a packager and a C user meet it: a DESTDIR staging
# tree with versioned, stripped libraries; then programs built through the
# installed pkg-config file and the CMake package (find_package), run and
# checked against tokens minted by Python's standard library.
# usage: tests/c/install.sh BUILD_DIR VERSION
set -euo pipefail
build=$1 version=$2 major=${2%%.*}
fail() { echo "install: $*" >&2; exit 1; }

# A packager's staging install: files under DESTDIR, paths without it.
stage=$build/stage
rm -rf "$stage"
make -s install DESTDIR="$stage" PREFIX=/usr/local >/dev/null
lib=$stage/usr/local/lib
[[ -f $lib/libtessera.so.$version && ! -L $lib/libtessera.so.$version ]] || fail "no libtessera.so.$version"
[[ $(readlink "$lib/libtessera.so.$major") == "libtessera.so.$version" ]] || fail "libtessera.so.$major is not a link to $version"
[[ $(readlink "$lib/libtessera.so") == "libtessera.so.$major" ]] || fail "libtessera.so is not a link to .so.$major"
soname=$(readelf -d "$lib/libtessera.so.$version" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[[ $soname == "libtessera.so.$major" ]] || fail "SONAME is '$soname'"
readelf -S "$lib/libtessera.so.$version" | grep -q '\.debug_' && fail "the installed .so carries debug sections"
readelf -S "$lib/libtessera.a" 2>/dev/null | grep -qE '\.debug_|\.llvmbc' && fail "the installed .a carries debug sections or bitcode"
grep -qx 'prefix=/usr/local' "$lib/pkgconfig/tessera.pc" || fail "tessera.pc names the staging directory"
[[ -f $lib/cmake/Tessera/TesseraConfig.cmake && -f $stage/usr/local/include/tessera.h ]] || fail "CMake package or header missing"
echo "  staged: $(du -h "$lib/libtessera.so.$version" | cut -f1) .so (SONAME $soname), $(du -h "$lib/libtessera.a" | cut -f1) .a"

# A user's install into a prefix, and their builds.
prefix=$(realpath -m "$build/prefix")
rm -rf "$prefix"
make -s install PREFIX="$prefix" >/dev/null
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
# shellcheck disable=SC2046
cc ffi/examples/verify_bearer.c $(pkg-config --cflags --libs tessera) -o "$build/verify_bearer"
readelf -d "$build/verify_bearer" | grep -q "NEEDED.*\[libtessera.so.$major\]" || fail "the program does not record libtessera.so.$major"
cmake -S ffi/examples -B "$build/cmake-example" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build/cmake-example" >/dev/null
# A version this package does not satisfy is refused by find_package.
for want in 9.0 0.2; do
  if out=$(cmake -S ffi/examples -B "$build/cmake-wrong" -DCMAKE_PREFIX_PATH="$prefix" -DTESSERA_WANT=$want 2>&1); then
    fail "find_package(Tessera $want) succeeded"
  fi
  grep -q "requested version \"$want\"" <<<"$out" || fail "find_package(Tessera $want) failed for another reason: $out"
  rm -rf "$build/cmake-wrong"
done

export TESSERA_SECRET=example-secret-of-at-least-32-bytes
good="Bearer $(python3 tests/vectors/mint.py "$TESSERA_SECRET" user-42)"
expired="Bearer $(python3 tests/vectors/mint.py "$TESSERA_SECRET" user-42 -60)"
check() { # program, env prefix...
  local ok old bad
  ok=$("$@" "$good") && [[ $ok == "200: subject user-42"* ]] || fail "$*: '$ok' for a good token"
  old=$("$@" "$expired" || true) && [[ $old == "401: Expired"* ]] || fail "$*: '$old' for an expired token"
  bad=$("$@" "Basic dXNlcjpwYXNz" || true) && [[ $bad == "401: no bearer token" ]] || fail "$*: '$bad' for Basic"
  echo "  $(basename "$1"): $ok / $old / $bad"
}
LD_LIBRARY_PATH=$prefix/lib check "$build/verify_bearer"
# CMake records the library's directory as the build RPATH: no LD_LIBRARY_PATH.
check "$build/cmake-example/verify_bearer"
check "$build/cmake-example/verify_bearer_static"
