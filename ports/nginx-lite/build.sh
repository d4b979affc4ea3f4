#!/usr/bin/env bash
# Builds nginx.img and its initrd: Debian's nginx and zlib sources, our
# patches, nginx's own auto/configure and Makefile with x86_64-toro-gcc.
# Called by CMakeLists.txt; usable by hand:
#
#   build.sh SOURCE_ROOT BUILD_BIN OUT_DIR VERSION ORIG_SHA256 \
#            ZLIB_VERSION ZLIB_ORIG_SHA256
#
# OUT_DIR/debian       the unpacked Debian tree (fetched once, cached)
# OUT_DIR/zlib         Debian's zlib, which nginx's Makefile builds (gzip)
# OUT_DIR/nginx        a copy with patches/NNNN-*.patch applied, configured;
#                      made afresh when a patch, the configure options or a
#                      libc-glue header changes
# OUT_DIR/nginx.elf    objs/nginx without debug sections (bootable)
# OUT_DIR/nginx.img    the same, self-unpacking (tools/toro-pack): what ships
# OUT_DIR/initrd.cpio  /etc/nginx/{nginx.conf,mime.types}, /www/index.html
set -euo pipefail

root=$1
bin=$2
out=$3
version=$4
sha256=$5
zlib_version=$6
zlib_sha256=$7
here=$root/ports/nginx-lite
cc=$bin/x86_64-toro-gcc

# One process, epoll, static files, autoindex, gzip, proxy, stub_status; no
# PCRE or OpenSSL.  Paths are the guest's: the initrd holds /etc/nginx.
# --crossbuild skips the host's uname; configure-cc.sh says how the feature
# tests are answered.
configure_opts=(
	--crossbuild=Linux::x86_64
	--with-cc="$here/configure-cc.sh $cc"
	--with-cc-opt=-O2
	--prefix=/ --conf-path=/etc/nginx/nginx.conf
	--error-log-path=stderr --http-log-path=/dev/stdout
	--pid-path=/tmp/nginx.pid --lock-path=/tmp/nginx.lock
	--http-client-body-temp-path=/tmp/client_body --http-proxy-temp-path=/tmp/proxy
	--with-http_stub_status_module
	--without-pcre --without-http_rewrite_module --with-zlib=zlib
	--without-http-cache --without-http_charset_module --without-http_ssi_module
	--without-http_userid_module --without-http_auth_basic_module
	--without-http_mirror_module --without-http_geo_module --without-http_map_module
	--without-http_split_clients_module --without-http_referer_module
	--without-http_fastcgi_module --without-http_uwsgi_module --without-http_scgi_module
	--without-http_grpc_module --without-http_memcached_module
	--without-http_limit_conn_module --without-http_limit_req_module
	--without-http_empty_gif_module --without-http_browser_module
	--without-http_upstream_hash_module --without-http_upstream_ip_hash_module
	--without-http_upstream_least_conn_module --without-http_upstream_random_module
	--without-http_upstream_keepalive_module --without-http_upstream_zone_module
)

mkdir -p "$out"
"$root/tools/fetch-debian-source.sh" nginx "$version" "$out/debian" "$sha256"
"$root/tools/fetch-debian-source.sh" zlib "$zlib_version" "$out/zlib" "$zlib_sha256"

# What the configured tree must be: the source, our patches, the options and
# the headers and libraries the feature tests saw.
want=$( {
	echo "nginx $version $sha256 zlib $zlib_version $zlib_sha256"
	printf '%s\n' "${configure_opts[@]}"
	sha256sum "$here/configure-cc.sh"
	for p in $(compgen -G "$here/patches/[0-9][0-9][0-9][0-9]-*.patch" || true); do
		echo "$(basename "$p") $(sha256sum <"$p")"
	done
	cd "$root/libc-glue/include" && find . -type f -name '*.h' | sort | xargs sha256sum
} )
stamp=$out/nginx/.toro-nginx-stamp
if [[ ! -f $stamp || "$(cat "$stamp")" != "$want" ]]; then
	echo "nginx-lite: preparing and configuring $out/nginx"
	rm -rf "$out/nginx"
	cp -a "$out/debian" "$out/nginx"
	cp -a "$out/zlib" "$out/nginx/zlib" # nginx builds it in place
	for p in $(compgen -G "$here/patches/[0-9][0-9][0-9][0-9]-*.patch" || true); do
		echo "nginx-lite: applying $(basename "$p")"
		patch -d "$out/nginx" -p1 --batch --forward --quiet -i "$p"
	done
	(cd "$out/nginx" && ./configure "${configure_opts[@]}") >"$out/configure.log" 2>&1 ||
		{ tail -n 20 "$out/configure.log" >&2
		  echo "nginx-lite: configure failed (logs: $out/configure.log, $out/nginx/objs/autoconf.err)" >&2
		  exit 1; }
	printf '%s\n' "$want" >"$stamp"
fi

# The objects build with the real toolchain, not the configure wrapper.  The
# image always relinks: the toro libraries may have changed.
rm -f "$out/nginx/objs/nginx"
make -C "$out/nginx" -f objs/Makefile -j"$(nproc)" CC="$cc" LINK="$cc" \
	>"$out/make.log" 2>&1 ||
	{ tail -n 40 "$out/make.log" >&2; echo "nginx-lite: make failed (log: $out/make.log)" >&2; exit 1; }
strip --strip-debug -o "$out/nginx.elf" "$out/nginx/objs/nginx"
"$root/tools/toro-pack" "$out/nginx.elf" "$out/nginx.img" >/dev/null

# The initrd: configuration, MIME types and the default site.
tree=$(mktemp -d "${TMPDIR:-/tmp}/nginx-lite-initrd.XXXXXX")
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/etc/nginx" "$tree/www" "$tree/tmp"
cp "$here/nginx.conf" "$tree/etc/nginx/nginx.conf"
cp "$out/nginx/conf/mime.types" "$tree/etc/nginx/mime.types"
cp "$here/index.html" "$tree/www/index.html"
(cd "$tree" && find . | LC_ALL=C sort | cpio --quiet -o -H newc) >"$out/initrd.cpio"
echo "nginx-lite: $out/nginx.img ($(stat -c %s "$out/nginx.img") bytes), $out/initrd.cpio"
