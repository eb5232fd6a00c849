import { type Actor, isAdmin } from '../domain/actor.js';
import { AppError } from '../domain/errors.js';

/** Admin-only use cases call this first. */
export function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new AppError('FORBIDDEN');
}
