#!/bin/sh
# Drops what the runtime image never loads from a production node_modules: type declarations, source maps,
# TypeScript sources and docs, packages' own test and example folders, ccxt's CommonJS and browser builds (the
# daemon imports ccxt's ES modules), and tsx/esbuild (the image runs the compiled dist/, never TypeScript).
# Used by the Dockerfile and by the image-runtime test, so the tree the test starts is the tree the image ships.
# usage: prune-node-modules.sh DIR/node_modules
set -eu
modules="${1:?usage: prune-node-modules.sh NODE_MODULES_DIR}"
[ -d "$modules" ] || { echo "not a directory: $modules" >&2; exit 1; }

find "$modules" -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \
  -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.md' -o -name '*.markdown' \) -delete
# Only at a package's root, where such folders are never part of the runtime code.
for folder in test tests __tests__ example examples; do
  rm -rf "${modules:?}"/*/"$folder" "${modules:?}"/@*/*/"$folder"
done
rm -rf "$modules/ccxt/dist/cjs" "$modules/ccxt/dist/ccxt.browser.min.js" "$modules/ccxt/dist/ccxt.browser.min.js.LICENSE.txt"
rm -rf "$modules/tsx" "$modules/esbuild" "$modules/@esbuild" "$modules/.bin/tsx" "$modules/.bin/esbuild"
find "$modules" -depth -type d -empty -delete
