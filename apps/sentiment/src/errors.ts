// The app's typed errors: bad user input, reported with the argument it came from.
import { RnnkitError } from '@rnnkit/core';

/** Bad input the user can fix: a flag, a data file, a model directory. The message says which and how. */
export class InputError extends RnnkitError {}
