import { Type } from 'typebox';
import type { CatalogueEntry } from '../../domain/catalogue/catalogue-entry.js';
import { CATALOGUE } from '../../domain/catalogue/index.js';
import type { SenderPreview } from '../../services/mailbox/sender-preview.js';
import type { WorkspacePresets } from '../../services/presets/workspace-presets.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { requestLanguage } from '../plugins/error-handler.js';
import { CatalogueList } from '../schemas/catalogue.schema.js';
import { errors, Line, Uuid } from '../schemas/common.js';
import {
  MailPresetList,
  PresetDetectionView,
  presentPreset,
  SandboxNewcomerView,
} from '../schemas/preset.schema.js';
import { SenderPreviewView } from '../schemas/sender-preview.schema.js';
import { presentEntry } from './connection-test.presenter.js';
import type { App } from './types.js';

/**
 * Presets (M15–M16), the error catalogue (M44) and the sender preview (M28). Presets depend on
 * the workspace: the demo one also gets the sandbox's (issue 12 item 1).
 */
export function mailReferenceRoutes(app: App, deps: { presets: WorkspacePresets; senders: SenderPreview }) {
  app.get(
    '/api/mail-presets',
    {
      preHandler: requireAuth,
      schema: {
        tags: ['mail-presets'],
        response: { 200: MailPresetList, ...errors(401) },
      },
    },
    async (req) => ({
      items: (await deps.presets.list(actorOf(req))).map(presentPreset),
    }),
  );
  app.get(
    '/api/mail-presets/detect',
    {
      preHandler: requireAuth,
      schema: {
        tags: ['mail-presets'],
        querystring: Type.Object({ email: Line(254) }, { additionalProperties: false }),
        response: {
          200: PresetDetectionView,
          ...errors(400, 401),
        },
      },
    },
    async (req) => {
      const r = await deps.presets.detect(actorOf(req), req.query.email);
      return { presetId: r.presetId, via: r.via, ...(r.variantId ? { variantId: r.variantId } : {}) };
    },
  );

  app.get(
    '/api/sandbox/newcomer',
    {
      preHandler: requireAuth,
      schema: {
        tags: ['mail-presets'],
        description:
          'The demo workspace only, while the sandbox runs: the password that opens a new sandbox mailbox in its company domain on the first sign-in. 404 anywhere else.',
        response: { 200: SandboxNewcomerView, ...errors(401, 404) },
      },
    },
    async (req) => deps.presets.newcomer(actorOf(req)),
  );

  app.get(
    '/api/error-catalogue',
    {
      preHandler: requireAuth,
      schema: {
        tags: ['error-catalogue'],
        response: { 200: CatalogueList, ...errors(401) },
      },
    },
    async (req) => {
      const lang = requestLanguage(req);
      return {
        items: CATALOGUE.map((e: CatalogueEntry) => ({
          ...presentEntry(e, lang),
          area: e.area,
          appliesTo: e.appliesTo,
          providers: e.providers ?? [],
          examples: e.examples,
        })),
      };
    },
  );

  app.get(
    '/api/senders',
    {
      preHandler: requireAuth,
      schema: {
        tags: ['senders'],
        querystring: Type.Object(
          {
            employeeId: Uuid,
            projectId: Type.Optional(Uuid),
            taskId: Type.Optional(Uuid),
            // M28 lists every excluded address, a page at a time (excludedTotal in the answer).
            excludedOffset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
            excludedLimit: Type.Integer({ minimum: 1, maximum: 10_000, default: 50 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: SenderPreviewView, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const lang = requestLanguage(req);
      const q = req.query;
      const { decision, sentences, excludedTotal } = await deps.senders.preview(
        actorOf(req),
        q.employeeId,
        q.projectId ?? null,
        lang,
        q.taskId ?? null,
        { offset: q.excludedOffset, limit: q.excludedLimit },
      );
      const option = (o: (typeof decision.choices)[number]) => ({
        ...o,
        because: { ...o.because, lastUsedAt: o.because.lastUsedAt?.toISOString() ?? null },
      });
      return {
        employeeId: decision.employeeId,
        projectId: decision.projectId,
        default: decision.default ? option(decision.default) : null,
        choices: decision.choices.map(option),
        excluded: decision.excluded.map((x) => ({
          addressId: x.address.id,
          email: x.address.email,
          displayName: x.address.displayName,
          scope: x.address.scope,
          reasons: x.reasons,
        })),
        excludedTotal,
        excludedOffset: q.excludedOffset,
        excludedLimit: q.excludedLimit,
        systemSenderUsed: decision.systemSenderUsed,
        sentences,
      };
    },
  );
}
