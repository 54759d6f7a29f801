#!/usr/bin/env bash
# Build out of tree into BUILDDIR with the given configure options,
# regenerating and reconfiguring only when needed.
#   build.sh BUILDDIR [configure options…]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$1
shift
cd "$top"
if [ ! -x configure ] || [ configure.ac -nt configure ] ||
   [ -n "$(find . -name local.mk -newer configure -o -name Makefile.am -newer configure | head -1)" ]; then
	# AM_ICONV wants config.rpath, which only gettext's autopoint installs.
	mkdir -p build-aux
	cp -f /usr/share/gettext/config.rpath build-aux/
	autoreconf -fi >/dev/null 2>"$top/autoreconf.log" ||
		{ cat "$top/autoreconf.log" >&2; exit 1; }
fi
mkdir -p "$build"
cd "$build"
stamp="configure options: $*"
if [ ! -f Makefile ] || [ "$(cat .gb-configure 2>/dev/null)" != "$stamp" ] || [ "$top/configure" -nt Makefile ]; then
	"$top/configure" "$@" >configure.out 2>&1 || { tail -30 configure.out >&2; exit 1; }
	echo "$stamp" >.gb-configure
fi
make -j"$(nproc)" >make.out 2>&1 || { grep -E 'error|Error' make.out | head -40 >&2; tail -20 make.out >&2; exit 1; }
