#!/usr/bin/env bash
# Fetches a Debian source package and unpacks it with Debian's patches applied.
#
# Usage: tools/fetch-debian-source.sh PACKAGE VERSION DEST_DIR [ORIG_SHA256]
#
#   PACKAGE      source package name, e.g. lwip
#   VERSION      exact Debian version, e.g. 2.1.3+dfsg1-2
#   DEST_DIR     where the unpacked tree goes (replaced on a real fetch)
#   ORIG_SHA256  if given, the sha256 the .orig tarball must have
#
# The .dsc, .orig and .debian files are kept in $TORO_SOURCE_CACHE (default:
# DEST_DIR's parent/debian-cache), so a rebuild does not touch the network.
# DEST_DIR/.toro-fetch-stamp records what was unpacked; when it matches, the
# script does nothing.  It needs root (or sudo) only the first time, to add a
# deb-src entry, run apt-get update and install dpkg-dev.
set -euo pipefail

die() { echo "fetch-debian-source: error: $*" >&2; exit 1; }
log() { echo "fetch-debian-source: $*"; }

[[ $# -eq 3 || $# -eq 4 ]] || die "usage: $0 PACKAGE VERSION DEST_DIR [ORIG_SHA256]"
PACKAGE=$1
VERSION=$2
DEST=$(realpath -m -- "$3")
SHA256=${4:-}
CACHE=$(realpath -m -- "${TORO_SOURCE_CACHE:-$(dirname "$DEST")/debian-cache}")
STAMP=$DEST/.toro-fetch-stamp
STAMP_CONTENT="$PACKAGE $VERSION ${SHA256:-unpinned}"
SOURCES=/etc/apt/sources.list.d/debian.sources

sudo=
[[ $(id -u) == 0 ]] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

# --- deb-src -------------------------------------------------------------------
has_deb_src() {
	grep -Eqs '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list \
		/etc/apt/sources.list.d/*.list && return 0
	grep -Eqs '^Types:.*[[:space:]]deb-src([[:space:]]|$)' /etc/apt/sources.list.d/*.sources
}

# deb822: "Types: deb" becomes "Types: deb deb-src" in Debian's own file, so
# the source entries have the same URIs, Suites and Components.
add_deb_src_deb822() {
	log "adding deb-src to the Types of $SOURCES"
	$sudo sed -i -E '/^Types:/{/deb-src/!s/^(Types:.*[[:space:]]deb)([[:space:]]|$)/\1 deb-src\2/}' \
		"$SOURCES"
}

# One-line format: a deb-src twin after each Debian "deb" line.
add_deb_src_oneline() {
	log "adding deb-src lines to /etc/apt/sources.list"
	$sudo sed -i -E 's/^deb[[:space:]](.*debian.*)$/&\ndeb-src \1/' /etc/apt/sources.list
}

ensure_deb_src() {
	has_deb_src && return 0
	if [[ -f $SOURCES ]]; then
		add_deb_src_deb822
	elif [[ -f /etc/apt/sources.list ]]; then
		add_deb_src_oneline
	fi
	has_deb_src || die "no deb-src entry and none could be added; add one by hand"
	$sudo apt-get update -q
}

# apt-get update only if apt's source index does not know VERSION yet.
ensure_version_known() {
	apt-cache showsrc "$PACKAGE" 2>/dev/null | grep -x "Version: $VERSION" >/dev/null && return 0
	$sudo apt-get update -q
	apt-cache showsrc "$PACKAGE" 2>/dev/null | grep -x "Version: $VERSION" >/dev/null ||
		die "$PACKAGE=$VERSION is not in the configured Debian suites"
}

ensure_dpkg_dev() {
	command -v dpkg-source >/dev/null && return 0
	log "installing dpkg-dev (for dpkg-source)"
	$sudo apt-get install -y -q --no-install-recommends dpkg-dev
}

# --- download and check --------------------------------------------------------
# The version without its epoch, as in the file names.
file_version() { echo "${VERSION#*:}"; }

dsc_path() { echo "$CACHE/${PACKAGE}_$(file_version).dsc"; }

orig_path() {
	local upstream=${VERSION#*:}
	upstream=${upstream%-*}
	compgen -G "$CACHE/${PACKAGE}_${upstream}.orig.tar.*" | grep -v '\.asc$' | head -n1
}

download() {
	[[ -f $(dsc_path) && -n $(orig_path) ]] && return 0
	ensure_deb_src
	ensure_version_known
	mkdir -p -- "$CACHE"
	log "downloading $PACKAGE=$VERSION into $CACHE"
	(cd "$CACHE" && apt-get source -q --download-only "$PACKAGE=$VERSION")
	[[ -f $(dsc_path) && -n $(orig_path) ]] || die "apt-get source did not produce the files"
}

check_sha256() {
	local orig actual
	orig=$(orig_path)
	actual=$(sha256sum -- "$orig" | cut -d' ' -f1)
	if [[ -z $SHA256 ]]; then
		log "note: $(basename "$orig") sha256 $actual (not pinned)"
		return 0
	fi
	[[ $actual == "$SHA256" ]] ||
		die "sha256 mismatch for $orig: got $actual, expected $SHA256"
}

# dpkg-source -x applies debian/patches; it refuses an existing target, so it
# unpacks next to DEST and the result is moved into place.  --no-copy: no
# link to the tarball beside DEST.
unpack() {
	local tmp=$DEST.tmp.$$
	rm -rf -- "$tmp" "$DEST"
	log "unpacking into $DEST"
	dpkg-source -q --no-copy -x "$(dsc_path)" "$tmp" >/dev/null
	mv -- "$tmp" "$DEST"
	printf '%s\n' "$STAMP_CONTENT" >"$STAMP"
}

main() {
	if [[ -f $STAMP && "$(cat "$STAMP")" == "$STAMP_CONTENT" ]]; then
		touch -- "$STAMP"
		exit 0
	fi
	ensure_dpkg_dev
	download
	check_sha256
	unpack
}

main
