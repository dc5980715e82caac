#!/bin/sh
# The real Faasm cluster of ../shared/faasm as a ctest fixture: builds it (once per machine, cached), starts it
# with two workers and Redis-backed state (or MODE: redis or inmemory, Faasm's STATE_MODE), and writes the
# FAASM_* lines it prints to ENV_FILE for the suites; `stop` stops exactly what `start` started. Any failure
# exits non-zero, so the suites fail instead of skipping.
#
# Faasm's images fill every host's runtime root (etc/passwd, etc/hosts, etc/resolv.conf, tmp, share); the
# fixture's workers start with an empty one, so `start` writes faasm.js's runtime root (sdk/runtime-root, as
# the worker binary FAASMJS_WORKER embeds it: faasmjs-worker --write-runtime-root) into each after the start.
#
#   FAASMJS_WORKER=... fixture.sh start FAASM_SH DIR ENV_FILE [MODE]
#   fixture.sh stop FAASM_SH DIR
set -eu

command=$1 faasm=$2 dir=$3
if [ ! -x "$faasm" ]; then
  echo "fixture.sh: error: the Faasm fixture is not at $faasm (configure with -DFAASMJS_FAASM_FIXTURE=PATH/faasm.sh)" >&2
  exit 1
fi

case "$command" in
  start)
    env_file=$4 mode=${5:-redis}
    rm -f "$env_file"
    # A run killed before its cleanup leaves a cluster behind: stop it rather than leak its processes.
    [ -d "$dir/pids" ] && "$faasm" stop "$dir" >&2
    # One build at a time: the first on a machine installs Faasm's packages, and a second apt-get running
    # beside it would fail on dpkg's lock before faasm.sh's own build lock is reached.
    flock "${TMPDIR:-/tmp}/faasmjs-fixture-build.lock" "$faasm" build >&2
    "$faasm" start "$dir" --workers 2 --state-mode "$mode" > "$env_file.tmp"
    for root in "$dir"/worker-*/runtime_root; do
      "${FAASMJS_WORKER:?fixture.sh: set FAASMJS_WORKER to faasmjs-worker}" --write-runtime-root "$root"
    done
    mv "$env_file.tmp" "$env_file"
    cat "$env_file"
    ;;
  stop)
    [ -d "$dir/pids" ] || exit 0
    "$faasm" stop "$dir"
    ;;
  *)
    echo "fixture.sh: error: unknown command $command (start or stop)" >&2
    exit 1
    ;;
esac
