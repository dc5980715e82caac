// faasmjs functions: the functions the gateway has registered (--functions and uploads), with the SHA-256 of
// each binary and where its compile stands (FUNCTIONS, docs/protocol.md).
import { takePositionals } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { printJson, writeStdout } from '../io.js';
import { TYPE } from '../sdk.js';

export const functions = {
  usage: 'functions',
  summary: 'list the registered functions, the sha256 of each binary and where its compile stands',
  details: 'compile: compiling, optimising (runs on the quick tier meanwhile), ready, failed, or elsewhere (Faasm '
    + 'compiles it). --json: {"functions":[{"name","sha256","compile"}]}.',
  options: {},
  async run({ positionals, open, json }) {
    takePositionals(positionals, []);
    const session = await open();
    try {
      const { functions: list } = await session.request(TYPE.FUNCTIONS, {}, 'list of functions');
      if (json) {
        await printJson({ functions: list });
      } else {
        const width = Math.max(0, ...list.map((f) => f.name.length));
        await writeStdout(list.map((f) => `${f.name.padEnd(width)}  ${f.sha256}  ${f.compile}\n`).join(''));
      }
      return EXIT.ok;
    } finally {
      await session.close();
    }
  },
};
