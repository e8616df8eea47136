#!/usr/bin/env bash
# Installs AttnViz's build and test dependencies from Debian 12's packages.
# Skips apt entirely when everything is already installed.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev libvulkan-dev
    libeigen3-dev libomp-dev
    fonts-dejavu-core xvfb xauth
    ccache                                  # build cache only; speeds up rebuilds
    clang-14 libclang-rt-14-dev llvm-14     # libFuzzer harnesses (tests/fuzz), llvm-symbolizer for stacks
    nlohmann-json3-dev                      # bench/ only: attnviz-jsonbench's reader comparison (README)
    python3-numpy                           # tools/gguf: the fixture GGUF files written at test time
    python3-torch                           # tests: the attention exporter run on a torch forward pass
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "Installing: ${missing[*]}"
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
