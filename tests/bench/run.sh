#!/usr/bin/env bash
# Runs every benchmark and writes their Markdown sections, under a header naming the machine, to one file.
#   tests/bench/run.sh <build dir> <output .md>
# Each benchmark compares against a baseline measured in the same run and reports ratios, so results from
# this shared, noisy kind of machine stay comparable.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="$(cd "$1" && pwd)"
output="$2"

sections="$(mktemp)"
trap 'rm -f "$sections"' EXIT
# The browser benchmarks start this build's gateway (tools/demo/gateway.mjs).
export FAASMJS_GATEWAY="$build_dir/tools/gateway/faasmjs-gateway"

{
  echo "## Asyncify: size and tool run time"
  echo
  "$here/asyncify_size.sh" "$build_dir"
  echo
  echo "## Asyncify: cost of one suspension (Node)"
  echo
  node "$here/asyncify_suspend.mjs" "$build_dir"
  echo
  echo "## Browser: pi, plain vs JSPI vs Asyncify (headless Chromium)"
  echo
  node "$here/browser_pi.mjs" "$build_dir"
  echo
  echo "## Browser: cost of one suspension (headless Chromium)"
  echo
  node "$here/browser_suspend.mjs" "$build_dir"
  echo
  echo "## Gateway: calls and state between the browser and the cluster (headless Chromium)"
  echo
  node "$here/gateway_browser.mjs" "$build_dir"
  echo
  echo "## Gateway: pipelined calls from Node against a raw echo, and the cluster's own fork-join"
  echo
  node "$here/node_client.mjs" "$build_dir"
  echo
  echo "## Gateway: what a call's thread hand-offs cost (Node)"
  echo
  node "$here/gateway_handoffs.mjs" "$build_dir"
  echo
  echo "## where: 'auto' against the better fixed place (headless Chromium)"
  echo
  node "$here/auto_placement.mjs" "$build_dir"
  echo
  echo "## Embedded cluster: compute against native code"
  echo
  node "$here/cluster_compute.mjs" "$build_dir"
  echo
  echo "## Embedded cluster: the first call, quick tier against the optimising compiler alone"
  echo
  node "$here/first_call.mjs" "$build_dir"
  echo
  echo "## Embedded cluster: an instance per call, new or reset from its snapshot"
  echo
  node "$here/fresh_instance.mjs" "$build_dir"
  echo
  echo "## Gateway in front of a real Faasm cluster (headless Chromium)"
  echo
  node "$here/faasm_cluster.mjs" "$build_dir"
  echo
  echo "## Gateway: up to 10,000 WebSocket clients at once"
  echo
  # A descriptor per client on each side: the soft limit (often 1024) up to the hard one.
  (ulimit -n "$(ulimit -Hn)" && node "$here/load_clients.mjs" "$build_dir")
} >>"$sections"

{
  echo "# Performance"
  echo
  echo "Written by \`./tools/dev.sh bench\`; every figure is compared with a baseline measured in the same run."
  echo
  echo "Last run: $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
  echo "$(clang --version | head -n1), binaryen $(wasm-opt --version | grep -o '[0-9]\+' | head -n1), $(node --version | sed 's/^/Node /')."
  echo
  cat "$sections"
} >"$output"
echo "wrote $output" >&2
