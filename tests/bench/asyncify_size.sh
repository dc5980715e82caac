#!/usr/bin/env bash
# Asyncify size and run-time overhead, as a Markdown table on stdout.
#   tests/bench/asyncify_size.sh <build dir> [function.wasm ...]
# Without binaries, measures every plain function of the build's wasm sub-builds (examples and asyncify
# test functions). For each binary, against the baseline of plain `wasm-opt -O2` in the same run:
#   - faasmjs-asyncify's output, and its run time (best of 3, also as a multiple of wasm-opt -O2's);
#   - Binaryen's stock `wasm-opt -O2 --asyncify` told the same blocking imports (what Emscripten-style
#     Asyncify costs: it must assume every indirect call may suspend).
# Goal (issue 2): faasmjs-asyncify's output at most 3% larger than plain -O2.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="$(cd "$1" && pwd)"
shift
tool="$build_dir/tools/asyncify/faasmjs-asyncify"
[[ -x "$tool" ]] || { echo "asyncify_size.sh: $tool not built" >&2; exit 2; }
command -v wasm-opt >/dev/null || { echo "asyncify_size.sh: wasm-opt (Debian package binaryen) not found" >&2; exit 2; }

if (($# > 0)); then
  binaries=("$@")
else
  mapfile -t binaries < <(find "$build_dir"/wasm-*/examples/functions "$build_dir"/wasm-*/tests/asyncify/functions \
                            -maxdepth 1 -name '*.wasm' ! -name '*.async.wasm' 2>/dev/null | sort)
fi
((${#binaries[@]} > 0)) || { echo "asyncify_size.sh: no function binaries found under $build_dir" >&2; exit 2; }

# The features faasmjs-asyncify gives Binaryen (WebAssembly 2.0), so that all three variants are optimised
# alike; and DWARF stripped before optimising, as the tool does (left in, it changes what wasm-opt does).
wasm_opt=(wasm-opt --enable-mutable-globals --enable-nontrapping-float-to-int --enable-sign-ext --enable-simd
          --enable-bulk-memory --enable-reference-types --enable-multivalue --strip-dwarf -O2)
goal_percent=3
runs=3

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

now_ns() { date +%s%N; }

# Best wall time of $runs runs of a command, in milliseconds.
best_ms() {
  local best="" start elapsed
  for ((run = 0; run < runs; run++)); do
    start=$(now_ns)
    "$@" >/dev/null
    elapsed=$(( ($(now_ns) - start) / 1000000 ))
    if [[ -z "$best" || $elapsed -lt $best ]]; then best=$elapsed; fi
  done
  echo "$best"
}

# Bytes without custom sections: DWARF, names and producers info say nothing about the cost of the transform,
# and the tool keeps them only where the code is unchanged (a function with no blocking import).
size() {
  node -e 'const b = require("fs").readFileSync(process.argv[1]);
           let size = b.length, at = 8;
           const leb = () => { let v = 0, s = 0, x; do { x = b[at++]; v += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80); return v; };
           while (at < b.length) { const start = at, id = b[at++], n = leb(); at += n; if (id === 0) size -= at - start; }
           console.log(size);' "$1"
}
percent() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f%%", (a - b) * 100 / b }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f×", (b > 0 ? a / b : 0) }'; }
within_goal() { awk -v a="$1" -v b="$2" -v g="$goal_percent" 'BEGIN { exit !((a - b) * 100 / b <= g) }'; }
# manifest field: blocking imports as Binaryen's asyncify-imports list, and "instrumented/defined".
manifest_field() {
  node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
           console.log(process.argv[2] === "imports" ? m.blockingImports.map((n) => `env.${n}`).join(",")
                                                     : `${m.instrumentedFunctions}/${m.definedFunctions}`);' "$1" "$2"
}

echo "| function | plain \`wasm-opt -O2\` | faasmjs-asyncify | vs plain | stock \`--asyncify\` | vs plain | instrumented | tool time | vs \`-O2\` time |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
within=0
notes=()
for binary in "${binaries[@]}"; do
  name="$(basename "$binary" .wasm)"
  label="$name"
  if [[ "$binary" =~ /wasm-([^/]+)/ ]]; then label="$name (${BASH_REMATCH[1]})"; fi
  "${wasm_opt[@]}" "$binary" -o "$scratch/plain.wasm"
  optimise_ms=$(best_ms "${wasm_opt[@]}" "$binary" -o "$scratch/plain.wasm")
  tool_ms=$(best_ms "$tool" "$binary" -o "$scratch/ours.wasm" --manifest "$scratch/ours.json")
  imports="$(manifest_field "$scratch/ours.json" imports)"
  if [[ -n "$imports" ]]; then
    stock_args=("--pass-arg=asyncify-imports@$imports")
  else
    stock_args=(--pass-arg=asyncify-ignore-imports)
  fi
  "${wasm_opt[@]}" --asyncify "${stock_args[@]}" "$binary" -o "$scratch/stock.wasm"
  plain=$(size "$scratch/plain.wasm")
  ours=$(size "$scratch/ours.wasm")
  stock=$(size "$scratch/stock.wasm")
  if within_goal "$ours" "$plain"; then
    within=$((within + 1))
  else
    # Where the growth lies: the same -O2 with names kept (-g changes no code), function by function.
    "${wasm_opt[@]}" -g "$binary" -o "$scratch/named.wasm"
    notes+=("- $label, $(percent "$ours" "$plain"): $(node "$here/asyncify_growth.mjs" "$scratch/named.wasm" "$scratch/ours.wasm" "$scratch/ours.json")")
  fi
  echo "| $label | $plain | $ours | $(percent "$ours" "$plain") | $stock | $(percent "$stock" "$plain") |" \
       "$(manifest_field "$scratch/ours.json" counts) | ${tool_ms} ms | $(ratio "$tool_ms" "$optimise_ms") |"
done
echo
echo "Sizes in bytes, without custom sections. $within of ${#binaries[@]} functions within the goal of +${goal_percent}% over plain \`-O2\`."
echo "\"instrumented\" counts the functions faasmjs-asyncify instrumented of those the binary defines."
if ((${#notes[@]} > 0)); then
  echo
  echo "Over the goal, where the growth lies (Binaryen's Asyncify adds to every instrumented function a frame's"
  echo "save and restore and a check of the state around each call that may suspend, and guards the code between"
  echo "them; an indirect call is resolved by signature, which is sound but brings in every function calling"
  echo "through a signature a suspending function has):"
  echo
  printf '%s\n' "${notes[@]}"
fi
