/** Checking the numbers the page sends, with errors that name the control they came from. */
import { ValueError } from '@rnnkit/core';

/** `value` as an integer in [min, max], else a {@link ValueError} naming `label`. */
export function checkInt(label: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new ValueError(`${label} must be an integer from ${min} to ${max}, got ${show(value)}`);
  return value;
}

/** `value` as a finite number in [min, max], else a {@link ValueError} naming `label`. */
export function checkNumber(label: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
    throw new ValueError(`${label} must be a number from ${min} to ${max}, got ${show(value)}`);
  return value;
}

function show(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}
