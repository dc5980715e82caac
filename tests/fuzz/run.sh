#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time on its committed corpus (tests/fuzz/corpus/TARGET, read
# only) plus a working corpus of what it finds (WORK_DIR/corpus/TARGET, kept between runs). A crash, a
# leak, a timeout or running out of memory fails the run; the input that caused it is written to
# WORK_DIR/artifacts/TARGET/ (add it to the committed corpus as regression-NAME once fixed).
# Usage: run.sh FUZZ_BINARY TARGET SECONDS WORK_DIR
set -euo pipefail
binary="$1" target="$2" seconds="$3" work="$4"
corpus="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/corpus/$target"
mkdir -p "$work/corpus/$target" "$work/artifacts/$target"
# -max_len: the seeds are small, and bigger inputs only slow each execution down. -timeout: one input must
# not take seconds. -rss_limit_mb: what a gateway machine's tests can spare. -malloc_limit_mb: no input of
# at most max_len bytes has a reason to make a reader allocate more than this at once.
exec "$binary" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=1536 -malloc_limit_mb=256 \
  -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/$target/" "$work/corpus/$target" "$corpus"
