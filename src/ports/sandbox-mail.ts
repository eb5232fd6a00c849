import type { MailPreset } from '../domain/presets/preset.types.js';

/**
 * The built-in sandbox mail server as the use cases see it (issue 12 item 1), present only while
 * it runs in this process: the composition root gets it from `serve` and nowhere else.
 */
export interface SandboxMail {
  /** The sandbox "service" for the add-address dialog, with this run's ports. */
  preset(): MailPreset;
  /** Opens a new mailbox in the sandbox company's domain on its first sign-in. */
  newcomerPassword(): string;
}
