#!/usr/bin/env bash
# Install the Debian 12 packages guanbiao needs that are missing, through
# sudo when not root, and generate the Chinese locales.  Idempotent.
#   deps.sh            what building and running need
#   deps.sh --test     also what the tests, fuzzing and benchmarks need
set -euo pipefail

pkgs=(gcc make autoconf automake pkg-config gettext libncurses-dev libpq-dev
      libxlsxwriter-dev libzip-dev libexpat1-dev postgresql postgresql-client locales)
if [ "${1:-}" = --test ]; then
	pkgs+=(libcmocka-dev clang tmux valgrind util-linux)
fi

sudo_cmd=()
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "deps.sh: need root or sudo to install: ${pkgs[*]}" >&2; exit 1; }
	sudo_cmd=(sudo)
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps.sh: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	"${sudo_cmd[@]}" apt-get update -q >/dev/null ||
		{ echo "deps.sh: apt-get update failed" >&2; exit 1; }
	# The server package must not start the system cluster: we never use it.
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee /usr/sbin/policy-rc.d >/dev/null
		"${sudo_cmd[@]}" chmod 755 /usr/sbin/policy-rc.d
		remove_policy=1
	fi
	"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
		{ echo "deps.sh: apt-get install ${missing[*]} failed" >&2; exit 1; }
	[ -n "${remove_policy:-}" ] && "${sudo_cmd[@]}" rm -f /usr/sbin/policy-rc.d
fi

# zh_CN.UTF-8 for the officers' sessions, zh_CN.GB18030 for encoding tests.
need_locale=()
locale -a 2>/dev/null | grep -qix 'zh_CN.utf8' || need_locale+=("zh_CN.UTF-8 UTF-8")
locale -a 2>/dev/null | grep -qix 'zh_CN.gb18030' || need_locale+=("zh_CN.GB18030 GB18030")
if [ ${#need_locale[@]} -gt 0 ]; then
	for l in "${need_locale[@]}"; do
		grep -qx "$l" /etc/locale.gen 2>/dev/null ||
			echo "$l" | "${sudo_cmd[@]}" tee -a /etc/locale.gen >/dev/null
	done
	"${sudo_cmd[@]}" locale-gen >/dev/null || echo "deps.sh: locale-gen failed (continuing with C.UTF-8)" >&2
fi
