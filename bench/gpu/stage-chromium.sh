#!/usr/bin/env bash
# Stages, on this machine, what the GPU machine lacks to run Debian's headless Chromium with WebGPU on
# the NVIDIA Vulkan driver, as one tar.xz cut into parts under .chromium/ (ignored by git).
#
# Why parts: the device tool carries at most 64 MiB per call, working tree included, and the tracked
# tree is already ~35 MB (the default pack is 32 MB of it). The bundle is ~95 MB, so each call carries
# one part (default 27 MiB) and chromium-on-device.sh moves it out of the repo to /opt/stage, where it
# survives while the machine stays warm (30 s between calls). The last call assembles and checks it.
#
# What goes in (bundle root fsc/):
#   chromium/  chromium-headless-shell (Debian's, same version as the chromium here) and the files of
#              chromium-common it reads beside itself: ICU data, V8 snapshots, Chromium's own Vulkan
#              loader (libvulkan.so.1, dlopened from its own folder) and SwiftShader (for contrast);
#   lib/       the shell's shared-library closure (ldd here) minus glibc, libstdc++ and libgcc_s (the
#              device's are newer), plus NSS's dlopened modules (softokn, freebl): used through
#              LD_LIBRARY_PATH, never unpacked into /;
#   debs/      libvulkan1 + glvnd (.dawn/carry's, or fetched): NVIDIA's Vulkan ICD is libGLX_nvidia,
#              which needs glvnd's libGLdispatch; these unpack into / safely (the device README's recipe);
#   node       this machine's Node binary (links only glibc);
#   node_modules/playwright-core (bundled, no dependencies; its type declarations dropped);
#   fonts/     one font and a fonts.conf, so pages that draw text do not run without any font.
#   bash bench/gpu/stage-chromium.sh [PART_SIZE]      e.g. 27M (the default)
set -euo pipefail
part_size=${1:-27M}
root=$(cd "$(dirname "$0")/../.." && pwd)
dest=$root/.chromium
mkdir -p "$root/.git/info" "$dest"
grep -qx '/.chromium/' "$root/.git/info/exclude" 2>/dev/null || echo '/.chromium/' >>"$root/.git/info/exclude"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
b=$tmp/fsc
mkdir -p "$b/chromium" "$b/lib" "$b/debs" "$b/fonts" "$b/node_modules"

version=$(dpkg-query -W -f='${Version}' chromium 2>/dev/null || true)
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
mkdir -p /tmp/amd64/partial
# shellcheck disable=SC2086
apt-get $o update >/dev/null
# The shell must match chromium-common's files (ICU, snapshots) byte for byte: same version.
# shellcheck disable=SC2086
(cd "$tmp" && apt-get $o download "chromium-headless-shell${version:+=$version}" "chromium-common${version:+=$version}" \
  fonts-dejavu-core 2>/dev/null)
mkdir "$tmp/x"
for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$tmp/x"; done
cl=$tmp/x/usr/lib/chromium
cp "$cl"/chromium-headless-shell "$cl"/headless_*.pak "$cl"/icudtl.dat "$cl"/v8_context_snapshot.bin \
  "$cl"/snapshot_blob.bin "$cl"/libvulkan.so.1 "$cl"/libvk_swiftshader.so "$cl"/vk_swiftshader_icd.json \
  "$cl"/libEGL.so "$cl"/libGLESv2.so "$b/chromium/"

# The closure as this machine resolves it; glibc's own libraries and the C++ runtime stay the device's.
LD_LIBRARY_PATH=$cl ldd "$cl/chromium-headless-shell" | awk '$3 ~ /^\// {print $1, $3}' |
  while read -r name path; do
    case $name in
      libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|ld-linux*|libstdc++.so.*|libgcc_s.so.*) ;;
      *) cp -L "$path" "$b/lib/$name" ;;
    esac
  done
for f in $(dpkg -L libnss3 | grep '\.so$'); do cp -L "$f" "$b/lib/"; done
if [ -n "$(LD_LIBRARY_PATH=$b/lib:$cl ldd "$cl/chromium-headless-shell" | grep 'not found' || true)" ]; then
  echo "the closure is incomplete on this machine" >&2
  exit 1
fi

if ls "$root"/.dawn/carry/libglvnd0_*.deb >/dev/null 2>&1; then
  cp "$root"/.dawn/carry/lib{vulkan1,glvnd0,glx0,egl1,gl1,opengl0,gles2}_*.deb "$b/debs/"
else
  # shellcheck disable=SC2086
  (cd "$b/debs" && apt-get $o download libvulkan1 libglvnd0 libglx0 libegl1 libgl1 libopengl0 libgles2 2>/dev/null)
fi

cp "$(command -v node)" "$b/node"
cp -r "$root/node_modules/playwright-core" "$b/node_modules/"
rm -rf "$b/node_modules/playwright-core/types"
cp "$tmp"/x/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf "$b/fonts/"
cat >"$b/fonts/fonts.conf" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/opt/fsc/fonts</dir><cachedir>/tmp/fsc-fontcache</cachedir></fontconfig>
EOF
{
  echo "chromium-headless-shell ${version:-unknown}"
  echo "node $(node --version)"
  echo "playwright-core $(node -p "require('$root/node_modules/playwright-core/package.json').version")"
} >"$b/VERSIONS"

rm -f "$dest"/part-* "$dest"/manifest.txt
# -9e: every MiB saved is carry room; this takes a few minutes on two cores.
tar cf - -C "$tmp" fsc | xz -T0 -9e >"$tmp/bundle.tar.xz"
(cd "$dest" && split -b "$part_size" -d -a 2 "$tmp/bundle.tar.xz" part-)
{
  echo "bundle $(sha256sum <"$tmp/bundle.tar.xz" | cut -d' ' -f1) $(stat -c %s "$tmp/bundle.tar.xz")"
  for p in "$dest"/part-*; do echo "part $(basename "$p") $(sha256sum <"$p" | cut -d' ' -f1)"; done
} >"$dest/manifest.txt"
cat "$dest/manifest.txt" "$b/VERSIONS"
ls -la "$dest"
echo "tracked tree: $(cd "$root" && git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1) bytes (a call carries at most 67108864)"
