/** Who is acting: every use case takes one, and every query is scoped by its workspace. */
export interface Actor {
  workspaceId: string;
  employeeId: string;
  role: 'admin' | 'employee';
  name: string;
  /** How the request authenticated: API tokens are not subject to CSRF. */
  via: 'session' | 'token' | 'system';
}

export const isAdmin = (actor: Actor): boolean => actor.role === 'admin';

export interface Page {
  limit: number;
  offset: number;
  q?: string | undefined;
}

export interface PageResult<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
