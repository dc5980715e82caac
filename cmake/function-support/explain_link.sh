#!/bin/sh
# The link step of faasmjs_add_function (RULE_LAUNCH_LINK): runs the linker command given after the function's
# name and, when the link fails for want of `main`, says why in faasm.js's terms under the linker's own error,
# which names only a symbol the user never wrote.
#   explain_link.sh <function name> <linker command...>
name="$1"
shift
errors="$(mktemp)" || exit 1
trap 'rm -f "$errors"' EXIT
"$@" 2>"$errors"
status=$?
cat "$errors" >&2
if [ "$status" -ne 0 ] && grep -q 'undefined symbol: main' "$errors"; then
  echo "faasmjs_add_function($name): the function has no entry point: add FAASMJS_MAIN(<your function>)" \
    "(faasmjs/entry.hpp) to one of its sources, or define int main()" >&2
fi
exit "$status"
