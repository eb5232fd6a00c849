import type { GroupWithMembers } from '../../db/repositories/group.repository.js';
import type { GroupService } from '../../services/groups/group-service.js';
import { Group, GroupCreateBody, GroupPatchBody } from '../schemas/resources.schema.js';
import { crudRoutes } from './crud-routes.js';
import type { App } from './types.js';

const present = (g: GroupWithMembers) => ({
  id: g.id,
  name: g.name,
  description: g.description,
  memberIds: g.memberIds,
  createdAt: g.createdAt.toISOString(),
  updatedAt: g.updatedAt.toISOString(),
});

export function groupRoutes(app: App, service: GroupService) {
  crudRoutes(app, {
    name: 'groups',
    item: Group,
    createBody: GroupCreateBody,
    patchBody: GroupPatchBody,
    present,
    service,
  });
}
