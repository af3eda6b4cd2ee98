/**
 * `rnnkit-sentiment` (`pnpm sentiment …` from the repository root): train, evaluate and use a
 * sentence sentiment classifier; cross-validate it on Movie Review.
 */
import { handleInterrupt } from './io.js';
import { main } from './main.js';

handleInterrupt();
process.exitCode = await main(process.argv.slice(2));
