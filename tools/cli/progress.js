// Progress on stderr, only when stderr is a terminal or --progress asks for it, so that scripts and pipes see
// nothing they did not ask for. On a terminal one line is redrawn in place (the phase, the bytes sent so far,
// the seconds it has taken) and cleared at the end; elsewhere each phase is one line of its own, said once.

const REDRAW_MS = 100;

/** 2.3 MB, 640 kB, 12 B: what a person reads at a glance. */
export function formatBytes(count) {
  if (count < 1000) return `${count} B`;
  if (count < 1_000_000) return `${(count / 1000).toFixed(1)} kB`;
  return `${(count / 1_000_000).toFixed(1)} MB`;
}

export const formatSeconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

export class Progress {
  #stream;
  #live;
  #enabled;
  #phase = null;
  #timer = null;

  /**
   * @param {{ stream?: NodeJS.WriteStream, forced?: boolean }} options forced: --progress (on even when
   *   stderr is not a terminal)
   */
  constructor({ stream = process.stderr, forced = false } = {}) {
    this.#stream = stream;
    this.#live = stream.isTTY === true;
    this.#enabled = forced || this.#live;
  }

  /**
   * Starts a phase. `text` is said once; `detail()`, when given, is redrawn after it on a terminal (bytes so
   * far, say), with the seconds since the phase began.
   */
  phase(text, detail = () => '') {
    if (!this.#enabled) return;
    this.#phase = { text, detail, since: Date.now() };
    if (!this.#live) {
      this.#stream.write(`faasmjs: ${text}\n`);
      return;
    }
    this.#draw();
    this.#timer ??= setInterval(() => this.#draw(), REDRAW_MS);
    this.#timer.unref();
  }

  /** Ends the progress: the live line is cleared (what happened is the command's output to say). */
  done() {
    clearInterval(this.#timer);
    this.#timer = null;
    if (this.#enabled && this.#live && this.#phase !== null) this.#stream.write('\r\x1b[K');
    this.#phase = null;
  }

  #draw() {
    const { text, detail, since } = this.#phase;
    const more = detail();
    this.#stream.write(`\r\x1b[Kfaasmjs: ${text}${more ? ` ${more}` : ''} (${formatSeconds(Date.now() - since)})`);
  }
}
