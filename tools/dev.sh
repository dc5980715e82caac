#!/usr/bin/env bash
# faasm.js developer entry point: installs what is missing, builds, and runs the demo, the tests or the
# benchmarks. Every command works on a fresh Debian bookworm machine (as root, or with sudo).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${FAASMJS_BUILD_DIR:-$ROOT/build}"
JOBS="${FAASMJS_JOBS:-$(nproc)}"

# Debian packages the build, the tests and the demo need. Checked one by one so that a machine that has them
# all never touches apt.
DEBIAN_PACKAGES=(
  cmake ninja-build g++ pkg-config clang-format-14
  clang lld wasi-libc libc++-14-dev-wasm32 libc++abi-14-dev-wasm32 libclang-rt-14-dev-wasm32
  emscripten binaryen wabt tcc
  clang-16 libclang-rt-16-dev
  libwebsockets-dev libssl-dev openssl libcereal-dev doctest-dev
  chromium
  libcurl4-openssl-dev nlohmann-json3-dev libprotobuf-dev libhiredis-dev redis-server
)

usage() {
  cat <<'EOF'
Usage: ./tools/dev.sh <command> [options]

Commands:
  demo      Build every example function, print per function its plain and asyncified sizes and the
            imports treated as blocking, then start faasmjs-gateway with its embedded cluster, serving the
            demo web app and the examples (the URL is printed; Ctrl-C stops). Further options go to the
            gateway (see build/tools/gateway/faasmjs-gateway --help).
            demo [--faasm] [--check] [gateway or check options]
            --faasm: in front of real Faasm instead: build the fixture of ../shared/faasm (once, cached;
            FAASMJS_FAASM_FIXTURE names another faasm.sh), start its cluster in build/demo-faasm (2 workers,
            Redis-backed state), run the gateway with --faasm planner=...,upload=...,redis=... and stop the
            cluster on exit, Ctrl-C or failure. The page shows which Faasm host ran each call.
            --check: instead of serving, run every example in headless Chromium in the browser (JSPI,
            Asyncify, worker mode) with chained calls in the cluster, and in the cluster itself, print
            each output, and exit non-zero on any failure. With --faasm, every call in the cluster must
            have run on a Faasm host; what Faasm's WAMR cannot run is listed as skipped, with the imports
            it lacks.
  test      Build everything and run every test suite through ctest (ends with ctest's summary).
  bench     Build and run the benchmarks; results are written to docs/performance.md.
  fuzz      Build the libFuzzer targets (tests/fuzz) and run each, or only TARGET, for --seconds N each
            (default 600) on its committed corpus; `test` runs each for 25 s. What a run finds is kept in
            build/fuzz/runs/corpus/TARGET, crashing inputs in build/fuzz/runs/artifacts/TARGET.
            fuzz [TARGET] [--seconds N]; targets: protocol worker_protocol state_store asyncify_input.
  build     Install what is missing, configure and build (the first step of the commands above).
  deps      Only install what is missing (Debian packages, npm packages from the committed lockfile).

Environment:
  FAASMJS_BUILD_DIR   build directory (default: ./build)
  FAASMJS_JOBS        parallel build and test jobs (default: number of cores)
  FAASMJS_FAASM_FIXTURE  faasm.sh of the Faasm fixture, for demo --faasm (default: ../shared/faasm/faasm.sh)
EOF
}

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'dev.sh: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_debian_packages() {
  local missing=()
  for package in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  # Node.js may come from elsewhere than Debian (with npm bundled); any node with npm will do.
  command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
  [ ${#missing[@]} -eq 0 ] && return
  log "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

install_npm_packages() {
  [ -f "$ROOT/package-lock.json" ] || return 0
  # npm ci is exact but slow; skip it while node_modules holds what this very lockfile installed (npm's own
  # node_modules/.package-lock.json is not a byte copy of it, so a stamp of our own records that).
  local stamp="$ROOT/node_modules/.faasmjs-installed-lockfile"
  if ! cmp -s "$ROOT/package-lock.json" "$stamp" 2>/dev/null; then
    log "Installing npm packages from package-lock.json"
    (cd "$ROOT" && npm ci --no-audit --no-fund)
    cp "$ROOT/package-lock.json" "$stamp"
  fi
}

deps() {
  install_debian_packages
  install_npm_packages
}

configure() {
  deps
  if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
    log "Configuring in $BUILD_DIR"
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
  fi
}

build() {
  configure
  log "Building"
  cmake --build "$BUILD_DIR" --parallel "$JOBS"
}

# The Faasm fixture (real Faasm built from its sources, ../shared/faasm) that `demo --faasm` runs the gateway in
# front of; the same default as the ctest suites' FAASMJS_FAASM_FIXTURE.
FAASM_FIXTURE="${FAASMJS_FAASM_FIXTURE:-$ROOT/../shared/faasm/faasm.sh}"
FAASM_CLUSTER_DIR="$BUILD_DIR/demo-faasm"

stop_faasm_cluster() {
  [ -d "$FAASM_CLUSTER_DIR/pids" ] || return 0
  log "Stopping the Faasm cluster"
  "$FAASM_FIXTURE" stop "$FAASM_CLUSTER_DIR" >&2 || true
}

# Builds the fixture (cached after the first time), starts it with 2 workers and Redis-backed state, and sets
# FAASM_OPTION to the gateway's --faasm value for it. The cluster is stopped when this script exits, however it
# exits.
start_faasm_cluster() {
  [ -x "$FAASM_FIXTURE" ] || die "no Faasm fixture at $FAASM_FIXTURE (set FAASMJS_FAASM_FIXTURE to its faasm.sh)"
  log "Building the Faasm fixture (once per machine, then cached)"
  "$FAASM_FIXTURE" build >&2
  # A demo killed before its clean-up leaves its cluster behind: stop that one rather than leak it.
  stop_faasm_cluster
  trap stop_faasm_cluster EXIT
  log "Starting a Faasm cluster in $FAASM_CLUSTER_DIR (2 workers, Redis-backed state)"
  local env
  env="$("$FAASM_FIXTURE" start "$FAASM_CLUSTER_DIR" --workers 2 --state-mode redis)" || die "the Faasm cluster did not start"
  local FAASM_PLANNER_URL="" FAASM_UPLOAD_URL="" FAASM_REDIS=""
  eval "$env"
  [ -n "$FAASM_PLANNER_URL" ] && [ -n "$FAASM_UPLOAD_URL" ] && [ -n "$FAASM_REDIS" ] ||
    die "faasm.sh start printed no planner, upload server or Redis: $env"
  FAASM_OPTION="planner=$FAASM_PLANNER_URL,upload=$FAASM_UPLOAD_URL,redis=$FAASM_REDIS"
}

demo() {
  local check=false faasm=false
  while [ $# -gt 0 ]; do
    case "$1" in
      --check) check=true; shift ;;
      --faasm) faasm=true; shift ;;
      *) break ;;
    esac
  done
  build
  log "Example functions"
  node "$ROOT/tools/report/functions-report.mjs" "$BUILD_DIR"/wasm-*/examples/functions
  local faasm_args=() data="$BUILD_DIR/demo-data"
  if $faasm; then
    # INT and TERM end the script through its EXIT trap, which stops the cluster.
    trap 'exit 130' INT
    trap 'exit 143' TERM
    start_faasm_cluster
    faasm_args=(--faasm "$FAASM_OPTION")
    data="$BUILD_DIR/demo-faasm-data"
  fi
  if $check; then
    log "Checking the demo through the gateway in headless Chromium (JSPI, Asyncify, worker, cluster)"
    node "$ROOT/tools/demo/check.mjs" --build-dir "$BUILD_DIR" --worker "${faasm_args[@]}" "$@"
    return
  fi
  # The demo's token key stays in the build directory; the page gets a token in its URL's fragment.
  local gateway="$BUILD_DIR/tools/gateway/faasmjs-gateway" key="$BUILD_DIR/demo-token.key"
  [ -s "$key" ] || (umask 077 && openssl rand -hex 32 > "$key")
  local token
  token="$("$gateway" token --user demo --role upload --ttl 7d --key-file "$key")"
  log "Starting the gateway with the demo (Ctrl-C stops): open http://127.0.0.1:8080/#token=$token"
  log "(with --host or --port, that address instead; tokens: $gateway token --user NAME --key-file $key)"
  local command=("$gateway" --web-root "$ROOT/examples/webapp" --token-key-file "$key"
    --functions "$BUILD_DIR/wasm-clang/examples/functions" --data "$data" "${faasm_args[@]}" "$@")
  if ! $faasm; then exec "${command[@]}"; fi
  # In the background, so that a signal to this script runs its traps at once; they stop the gateway (it drains
  # on SIGTERM), then the cluster.
  "${command[@]}" &
  local gateway_pid=$!
  trap 'kill -TERM "$gateway_pid" 2>/dev/null; wait "$gateway_pid"; exit 130' INT
  trap 'kill -TERM "$gateway_pid" 2>/dev/null; wait "$gateway_pid"; exit 143' TERM
  wait "$gateway_pid"
}

test_all() {
  build
  log "Running every test suite"
  ctest --test-dir "$BUILD_DIR" --output-on-failure --parallel "$JOBS" "$@"
}

bench() {
  build
  log "Benchmarks (results go to docs/performance.md)"
  "$ROOT/tests/bench/run.sh" "$BUILD_DIR" "$ROOT/docs/performance.md"
}

fuzz() {
  local targets=() seconds=600
  while [ $# -gt 0 ]; do
    case "$1" in
      --seconds) [ $# -ge 2 ] || die "--seconds needs a number"; seconds="$2"; shift 2 ;;
      *) targets+=("$1"); shift ;;
    esac
  done
  configure
  log "Building the fuzz targets"
  cmake --build "$BUILD_DIR" --parallel "$JOBS" --target fuzz-targets
  if [ ${#targets[@]} -eq 0 ]; then
    for binary in "$BUILD_DIR"/fuzz/fuzz_*; do
      [ "$binary" = "$BUILD_DIR/fuzz/fuzz_seeds" ] || targets+=("${binary##*/fuzz_}")
    done
  fi
  for target in "${targets[@]}"; do
    [ -x "$BUILD_DIR/fuzz/fuzz_$target" ] || die "unknown fuzz target '$target'"
    log "Fuzzing $target for $seconds s"
    "$ROOT/tests/fuzz/run.sh" "$BUILD_DIR/fuzz/fuzz_$target" "$target" "$seconds" "$BUILD_DIR/fuzz/runs"
  done
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
  demo) demo "$@" ;;
  test) test_all "$@" ;;
  bench) bench "$@" ;;
  fuzz) fuzz "$@" ;;
  build) build ;;
  deps) deps ;;
  -h|--help|help) usage ;;
  "") usage; exit 1 ;;
  *) usage >&2; die "unknown command '$command'" ;;
esac
