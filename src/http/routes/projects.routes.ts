import { Type } from 'typebox';
import type { ProjectRow } from '../../db/repositories/project.repository.js';
import type { ProjectService } from '../../services/projects/project-service.js';
import { Line, Text } from '../schemas/common.js';
import { Project } from '../schemas/resources.schema.js';
import { crudRoutes } from './crud-routes.js';
import type { App } from './types.js';

const present = (p: ProjectRow) => ({
  id: p.id,
  name: p.name,
  description: p.description,
  archived: p.archived,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});
const fields = { name: Line(200, 1), description: Text(5000), archived: Type.Boolean() };
const CreateBody = Type.Object(
  {
    name: fields.name,
    description: Type.Optional(fields.description),
    archived: Type.Optional(fields.archived),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Partial(Type.Object(fields), { additionalProperties: false });

export function projectRoutes(app: App, service: ProjectService) {
  crudRoutes(app, {
    name: 'projects',
    item: Project,
    createBody: CreateBody,
    patchBody: PatchBody,
    present,
    service,
    writeErrors: [403, 409],
  });
}
