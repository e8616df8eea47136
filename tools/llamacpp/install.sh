#!/usr/bin/env bash
# Installs the prebuilt llama.cpp libraries that the GGUF tests use as their independent reference
# (npm package @node-llama-cpp/linux-x64, pinned) into .cache/llamacpp of the checkout. Test tools
# only: nothing in the product loads them. Prints the folder holding libllama and libggml-base.
set -euo pipefail
cd "$(dirname "$0")/../.."
version="3.22.1" # its libraries report llama.cpp commit 0ad4a86 (ggml_commit)
dest=".cache/llamacpp"
libs="$dest/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64"
if [ ! -f "$libs/libllama.v0.5.0.so" ]; then
    if ! command -v npm >/dev/null; then
        sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends npm >&2
    fi
    mkdir -p "$dest"
    npm install --prefix "$dest" --no-save --ignore-scripts --no-audit --no-fund \
        "@node-llama-cpp/linux-x64@$version" >&2
fi
realpath "$libs"
