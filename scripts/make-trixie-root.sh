#!/usr/bin/env bash
# Makes, or reuses when it is already complete, a minimal Debian trixie root that holds JupyterHub
# 5.x (what z2jh 4.x ships) for the IAP authenticator test, and jupyter-server + ipykernel (the
# single-user server) for the hub health check's end-to-end test. Needs root (debootstrap), ~3 minutes and
# ~650 MB the first time. The root lives outside the repository at a fixed path so that `npm ci`
# (which empties node_modules) and every clone or worktree on the machine reuse it.
#
#   scripts/make-trixie-root.sh [ROOT]     default: $HUBFLEET_TRIXIE_ROOT or /var/cache/hubfleet/trixie-root
set -euo pipefail

root=${1:-${HUBFLEET_TRIXIE_ROOT:-/var/cache/hubfleet/trixie-root}}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
packages=jupyterhub,python3-jwt,python3-cryptography,python3-pycurl,node-configurable-http-proxy,python3-jupyter-server,python3-ipykernel
# Added after the first roots were made: a root that has everything else gets only these.
late_packages="python3-jupyter-server python3-ipykernel"
imports='import jupyterhub, jwt, cryptography, pycurl, jupyter_server, ipykernel'

complete() {
  [ -f "$root/.hubfleet-root" ] &&
    [ -x "$root/usr/bin/jupyterhub" ] &&
    [ -x "$root/usr/bin/configurable-http-proxy" ] &&
    [ -x "$root/usr/bin/python3" ]
}

has_late_packages() {
  chroot "$root" /usr/bin/python3 -c "$imports" >/dev/null 2>&1
}

if complete && { [ "$(id -u)" != 0 ] || has_late_packages; }; then
  echo "trixie root at $root is complete: $(cat "$root/.hubfleet-root")"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "making $root needs root (debootstrap); run: sudo $0 $root" >&2
  exit 1
fi
if complete; then
  echo "adding $late_packages to the trixie root at $root"
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod +x "$root/usr/sbin/policy-rc.d"
  unshare --mount --propagation private sh -ec '
    mount -t proc proc "$1/proc"
    mount --rbind /dev "$1/dev"
    chroot "$1" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive chroot "$1" apt-get install -y -qq --no-install-recommends $2
    chroot "$1" apt-get clean
  ' sh "$root" "$late_packages" >"$root.log" 2>&1 || {
    rm -f "$root/usr/sbin/policy-rc.d"
    echo "installing $late_packages in the trixie root failed; the last lines of $root.log:" >&2
    tail -n 30 "$root.log" >&2
    exit 1
  }
  rm -f "$root/usr/sbin/policy-rc.d" "$root.log"
  has_late_packages || { echo "the trixie root still cannot run: $imports" >&2; exit 1; }
  echo "trixie root at $root is complete: $(cat "$root/.hubfleet-root")"
  exit 0
fi
if ! command -v debootstrap >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

# Build beside the final path and move it into place only when complete: an interrupted run leaves
# nothing that looks usable, and the next run starts again.
partial="$root.partial"
log="$root.log"
cleanup() {
  # debootstrap mounts proc and sys inside the target; never delete through a mount.
  if [ -d "$partial" ]; then
    { findmnt -R -n -o TARGET "$partial" 2>/dev/null || true; } | sort -r | while read -r mnt; do
      umount -l "$mnt" || true
    done
    rm -rf --one-file-system "$partial"
  fi
}
fail() {
  echo "$1; the last lines of $log:" >&2
  tail -n 30 "$log" >&2
  exit 1
}
cleanup
trap cleanup EXIT
mkdir -p "$(dirname "$root")"
: >"$log"

echo "making a Debian trixie root with $packages at $root (about 3 minutes; log: $log)"
# debootstrap's own dependency resolution is too simple for this package set; it makes the base
# system and apt installs the rest.
debootstrap --variant=minbase trixie "$partial" "$mirror" >>"$log" 2>&1 || fail "debootstrap failed"
cp /etc/resolv.conf "$partial/etc/resolv.conf"
# Nothing is started inside the root while packages are installed.
printf '#!/bin/sh\nexit 101\n' >"$partial/usr/sbin/policy-rc.d"
chmod +x "$partial/usr/sbin/policy-rc.d"
# proc and dev for the maintainer scripts, in a private mount namespace so they vanish with it.
unshare --mount --propagation private sh -ec '
  mount -t proc proc "$1/proc"
  mount --rbind /dev "$1/dev"
  chroot "$1" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive chroot "$1" apt-get install -y -qq --no-install-recommends $2
  chroot "$1" apt-get clean
' sh "$partial" "${packages//,/ }" >>"$log" 2>&1 || fail "installing $packages in the trixie root failed"
rm -f "$partial/usr/sbin/policy-rc.d"
version=$(chroot "$partial" /usr/bin/python3 -c "$imports"'; print("jupyterhub", jupyterhub.__version__, "pyjwt", jwt.__version__, "cryptography", cryptography.__version__)') ||
  fail "the trixie root cannot run: $imports"
echo "$version" >"$partial/.hubfleet-root"
rm -rf --one-file-system "$root"
mv "$partial" "$root"
trap - EXIT
rm -f "$log"
echo "trixie root at $root: $version"
