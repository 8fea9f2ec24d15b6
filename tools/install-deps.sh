#!/usr/bin/env bash
# Installs every tool NanoNT builds, boots and tests with, from Debian packages.
# Safe to run again: apt-get skips what is already installed.
set -euo pipefail

PACKAGES=(
  make nasm
  gcc-i686-linux-gnu binutils-i686-linux-gnu
  gcc-mingw-w64-i686 binutils-mingw-w64-i686
  grub-pc-bin grub-common xorriso mtools dosfstools
  qemu-system-x86 gdb-multiarch
  gcc libc6-dev python3
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: need root (or sudo) to install: ${PACKAGES[*]}" >&2; exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}"
echo "install-deps: all tools installed"
