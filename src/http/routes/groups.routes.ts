import { Type } from 'typebox';
import type { GroupWithMembers } from '../../db/repositories/group.repository.js';
import type { GroupService } from '../../services/groups/group-service.js';
import { Line, Text, Uuid } from '../schemas/common.js';
import { Group } from '../schemas/resources.schema.js';
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
const fields = {
  name: Line(200, 1),
  description: Text(2000),
  memberIds: Type.Array(Uuid, { maxItems: 10_000 }),
};
const CreateBody = Type.Object(
  {
    name: fields.name,
    description: Type.Optional(fields.description),
    memberIds: Type.Optional(fields.memberIds),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Partial(Type.Object(fields), { additionalProperties: false });

export function groupRoutes(app: App, service: GroupService) {
  crudRoutes(app, {
    name: 'groups',
    item: Group,
    createBody: CreateBody,
    patchBody: PatchBody,
    present,
    service,
  });
}
