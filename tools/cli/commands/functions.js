// faasmjs functions: the functions the gateway has registered (--functions and uploads), with the SHA-256 of
// each binary (FUNCTIONS, docs/protocol.md).
import { takePositionals } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { printJson, writeStdout } from '../io.js';
import { TYPE } from '../sdk.js';

export const functions = {
  usage: 'functions',
  summary: 'list the registered functions and the sha256 of each binary',
  details: '--json: {"functions":[{"name","sha256"}]}.',
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
        await writeStdout(list.map((f) => `${f.name.padEnd(width)}  ${f.sha256}\n`).join(''));
      }
      return EXIT.ok;
    } finally {
      await session.close();
    }
  },
};
