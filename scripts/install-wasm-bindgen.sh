#!/usr/bin/env bash
# Installs wasm-bindgen-cli VERSION when the plain `cargo install` fails because a
# dependency's newest release needs a newer Rust: build it from its crate source
# with that dependency held back (the recipe in shared/TOOLCHAIN.md).
set -euo pipefail
version="$1"
src=$(ls -d "$HOME"/.cargo/registry/src/*/wasm-bindgen-cli-"$version" 2>/dev/null | head -1 || true)
if [ -z "$src" ]; then
  cargo install wasm-bindgen-cli --version "$version" --locked || true
  src=$(ls -d "$HOME"/.cargo/registry/src/*/wasm-bindgen-cli-"$version" | head -1)
fi
work=$(mktemp -d)
cp -r "$src"/. "$work"
cd "$work"
cargo generate-lockfile
cargo update -p webpki-roots --precise 1.0.4 || true
cargo install --path . --locked
rm -rf "$work"
