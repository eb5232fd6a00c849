import type { ProjectRow } from '../../db/repositories/project.repository.js';
import type { ProjectService } from '../../services/projects/project-service.js';
import { Project, ProjectCreateBody, ProjectPatchBody } from '../schemas/resources.schema.js';
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

export function projectRoutes(app: App, service: ProjectService) {
  crudRoutes(app, {
    name: 'projects',
    item: Project,
    createBody: ProjectCreateBody,
    patchBody: ProjectPatchBody,
    present,
    service,
    writeErrors: [403, 409],
  });
}
