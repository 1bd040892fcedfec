#!/usr/bin/env bash
# Vendors the front-end libraries from npm into web/static/vendor and
# records name, version, file, SHA-256 and licence in
# web/static/vendor/VERSIONS. No Node build: the files are served as
# published. Run from the repository root; needs npm and network access
# to the registry. To upgrade, change a version here and run it again.
set -euo pipefail
cd "$(dirname "$0")/.."
out=web/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# name version file-in-package target licence
libs=(
	"echarts 6.1.0 dist/echarts.common.min.js echarts.common.min.js Apache-2.0"
)

mkdir -p "$out"
{
	echo "# Vendored by scripts/vendor.sh — do not edit by hand."
	echo "# name	version	file	sha256	licence"
} >"$out/VERSIONS.tmp"
for lib in "${libs[@]}"; do
	read -r name version file target licence <<<"$lib"
	(cd "$tmp" && npm pack --silent "$name@$version" >/dev/null)
	mkdir -p "$tmp/$name"
	tar -xzf "$tmp/$name-$version.tgz" -C "$tmp/$name"
	got=$(cd "$tmp/$name/package" && node -p 'require("./package.json").license' 2>/dev/null || grep -o '"license": *"[^"]*"' package.json | cut -d'"' -f4)
	if [ "$got" != "$licence" ]; then
		echo "$name $version: licence is $got, expected $licence" >&2
		exit 1
	fi
	cp "$tmp/$name/package/$file" "$out/$target"
	cp "$tmp/$name/package/LICENSE" "$out/$target.LICENSE"
	echo "$name	$version	$target	$(sha256sum "$out/$target" | cut -d' ' -f1)	$licence" >>"$out/VERSIONS.tmp"
done
mv "$out/VERSIONS.tmp" "$out/VERSIONS"
cat "$out/VERSIONS"
