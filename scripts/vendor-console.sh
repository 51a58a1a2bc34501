#!/usr/bin/env bash
# Reproduces src/woundcare/console/static/vendor/ from the console's package-lock.json:
# `npm ci` into a temporary directory (exact, integrity-checked versions), copy the ES module
# builds, and rewrite their bare imports ("preact", "preact/hooks", "@preact/signals-core")
# to relative paths so the browser resolves them without an import map (which would need an
# inline script and a CSP hash). Run it after changing package.json / package-lock.json, and
# commit the result: the console itself needs no build step and no network.
set -euo pipefail
cd "$(dirname "$0")/.."
console=src/woundcare/console
out=$console/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$console/package.json" "$console/package-lock.json" "$tmp/"
(cd "$tmp" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
mkdir -p "$out"
rm -f "$out"/*.mjs
node - "$tmp/node_modules" "$out" <<'JS'
const fs = require("fs");
const path = require("path");
const [modules, out] = process.argv.slice(2);
// source file in node_modules -> vendored file name
const files = {
  "preact/dist/preact.mjs": "preact.mjs",
  "preact/hooks/dist/hooks.mjs": "preact-hooks.mjs",
  "@preact/signals-core/dist/signals-core.mjs": "signals-core.mjs",
  "@preact/signals/dist/signals.mjs": "signals.mjs",
  "htm/dist/htm.mjs": "htm.mjs",
};
// bare specifier -> vendored file
const specifiers = {
  "preact": "./preact.mjs",
  "preact/hooks": "./preact-hooks.mjs",
  "@preact/signals-core": "./signals-core.mjs",
  "@preact/signals": "./signals.mjs",
  "htm": "./htm.mjs",
};
const versions = {};
for (const [src, name] of Object.entries(files)) {
  let code = fs.readFileSync(path.join(modules, src), "utf8");
  code = code.replace(/(\bfrom\s*|\bimport\s*\(?\s*)(["'])([^"']+)\2/g, (m, lead, q, spec) => {
    if (spec.startsWith(".")) return m;
    const target = specifiers[spec];
    if (!target) throw new Error(`${src}: unknown bare import ${spec}`);
    return `${lead}${q}${target}${q}`;
  });
  code = code.replace(/\n\/\/# sourceMappingURL=.*$/m, "");
  const pkg = src.startsWith("@") ? src.split("/").slice(0, 2).join("/") : src.split("/")[0];
  const version = JSON.parse(fs.readFileSync(path.join(modules, pkg, "package.json"))).version;
  versions[pkg] = version;
  fs.writeFileSync(path.join(out, name), `/* ${pkg}@${version} (vendored by scripts/vendor-console.sh) */\n${code}\n`);
}
fs.writeFileSync(path.join(out, "VERSIONS.json"), JSON.stringify(versions, null, 2) + "\n");
JS
# Every remaining import must be relative: a bare one would fail in the browser.
if grep -Eo '(from|import)[[:space:]]*\(?[[:space:]]*"[^".][^"]*"' "$out"/*.mjs; then
  echo "vendor-console: a bare import is left in $out" >&2; exit 1
fi
echo "vendored into $out:"; (cd "$out" && sha256sum -- *.mjs)
