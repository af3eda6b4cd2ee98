/**
 * Installs the built-in gradient table into the process-wide engine. Its own module (imported
 * once by the package entry) so that the engine imports no gradient and no op: the gradients
 * are written with ops, and ops dispatch through the engine.
 */
import { ENGINE } from '../engine.js';
import { GRADIENTS } from './table.js';

ENGINE.registerGradients(GRADIENTS);
