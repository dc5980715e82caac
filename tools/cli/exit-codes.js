// The exit statuses of faasmjs, one meaning each (faasmjs --help lists them).
export const EXIT = Object.freeze({
  ok: 0,
  // A state key without a value, a shared file that is not there: an answer, not an error.
  missing: 1,
  // Bad arguments, no gateway, a refusal by the gateway (ERROR): one line on stderr.
  error: 2,
  // invoke: the call did not run to its end (trapped, timed out, over its memory, cancelled, crashed, failed).
  callFailed: 125,
  // invoke: the largest return value passed on as it is; any other (negative, or over 255, which an exit
  // status would wrap, 256 to 0) exits with this, so that no failure reads as success.
  maxReturn: 255,
});

/** A finished call's exit status: its return value when 0–255, else 255. */
export function exitForReturn(returnValue) {
  return returnValue >= 0 && returnValue <= EXIT.maxReturn ? returnValue : EXIT.maxReturn;
}
