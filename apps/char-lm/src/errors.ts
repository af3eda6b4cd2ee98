/** The app's user-facing error: one line for the terminal, and a non-zero exit. */

/** Bad input from the user (a flag, a file, a model directory): printed as one line, exit code 2. */
export class CliError extends Error {
  override name = 'CliError';
}
