import type { ParsedMessage } from '../domain/inbound/parsed-message.js';

/**
 * The full MIME parse of a received message (mailparser, with the limits of
 * services/inbound/process-parse.ts). Rejects with `UnreadableMessage` for a message it refuses
 * (kept raw, "could not be read"); any other rejection (shutting down, `signal` aborted, too
 * many parses waiting) says nothing about the message: the row stays stored for a later pass.
 */
export type ParseMessage = (raw: Buffer, signal?: AbortSignal) => Promise<ParsedMessage>;
