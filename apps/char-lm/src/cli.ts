#!/usr/bin/env node
/** `rnnkit-char-lm`: the program's entry — parses the command line, runs the command, maps errors to exit codes. */
import { parseCommand, USAGE } from './args.js';
import { runEval, runSample, runTrain } from './commands.js';
import { CliError } from './errors.js';

async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const io = {
    out: process.stdout,
    err: process.stderr,
    cwd: process.env.INIT_CWD ?? process.cwd(),
    signal: controller.signal,
  };
  let interrupts = 0;
  const stop = () => {
    // first Ctrl-C (or SIGTERM): finish the step, write a checkpoint, stop; a second one exits
    // at once (every write is atomic, so nothing is left half-written either way)
    if (++interrupts > 1) process.exit(130);
    process.stderr.write('\nstopping after this step (Ctrl-C again to quit at once)…\n');
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    const cmd = parseCommand(argv);
    switch (cmd.command) {
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return 0;
      case 'train': {
        const r = await runTrain(cmd.flags, io);
        return r.interrupted ? 130 : 0;
      }
      case 'sample':
        await runSample(cmd.flags, io);
        return 0;
      case 'eval':
        await runEval(cmd.flags, io);
        return 0;
      case 'demo': {
        const r = await runTrain({ minutes: 2, ...cmd.flags }, io);
        if (r.interrupted) return 130;
        process.stdout.write('\nA sample from the best checkpoint (temperature 0.8):\n\n');
        await runSample({ model: r.out, length: 600, seed: 0 }, io);
        process.stdout.write(
          `\nMore: pnpm char-lm sample --model ${r.out} · pnpm char-lm --help\n`,
        );
        return 0;
      }
    }
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`rnnkit-char-lm: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
