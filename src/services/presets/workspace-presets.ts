/**
 * The presets one workspace is offered (SPEC M15, M16): the catalogue for everyone, plus — in
 * the demo workspace only, and only while the built-in sandbox runs in this process — the
 * sandbox "service" for its company domain (issue 12 item 1). A real workspace on the same
 * server never sees it: for it the sandbox domain stays "not recognised".
 */
import type { WorkspaceRepository } from '../../db/repositories/workspace.repository.js';
import type { Actor } from '../../domain/actor.js';
import { notFound } from '../../domain/errors.js';
import { emailDomain, listPresets } from '../../domain/presets/detect.js';
import type { MailPreset } from '../../domain/presets/preset.types.js';
import type { SandboxMail } from '../../ports/sandbox-mail.js';
import type { PresetDetection, PresetDetector } from './detect-preset.js';

export interface WorkspacePresetsDeps {
  detector: PresetDetector;
  workspaces: Pick<WorkspaceRepository, 'findById'>;
  /** Present only while the sandbox mail server runs in this process. */
  sandbox: SandboxMail | null;
}

export interface SandboxNewcomer {
  /** The domain in which a new mailbox opens on its first sign-in. */
  domain: string;
  password: string;
}

export function createWorkspacePresets(deps: WorkspacePresetsDeps) {
  /** The sandbox, when this actor's workspace is the demo one and the sandbox runs. */
  const sandboxOf = async (actor: Actor): Promise<SandboxMail | null> => {
    if (!deps.sandbox) return null;
    const workspace = await deps.workspaces.findById(actor.workspaceId);
    return workspace?.sandbox ? deps.sandbox : null;
  };

  return {
    /** Every preset this workspace may pick, `other` last. */
    async list(actor: Actor): Promise<readonly MailPreset[]> {
      const sandbox = await sandboxOf(actor);
      // First: in the demo workspace it is the service that matters.
      return sandbox ? [sandbox.preset(), ...listPresets()] : listPresets();
    },

    /** M16 for this workspace: the sandbox domain first (demo workspace only), then the catalogue. */
    async detect(actor: Actor, email: string): Promise<PresetDetection> {
      const sandbox = await sandboxOf(actor);
      const domain = sandbox ? emailDomain(email) : null;
      const preset = sandbox?.preset();
      if (preset && domain && preset.domains.includes(domain)) return { presetId: preset.id, via: 'domain' };
      return deps.detector.detect(email);
    },

    /** The newcomer password, for the demo workspace's users only; anyone else finds no such page. */
    async newcomer(actor: Actor): Promise<SandboxNewcomer> {
      const sandbox = await sandboxOf(actor);
      if (!sandbox) throw notFound('route');
      return { domain: sandbox.preset().domains[0]!, password: sandbox.newcomerPassword() };
    },
  };
}

export type WorkspacePresets = ReturnType<typeof createWorkspacePresets>;
