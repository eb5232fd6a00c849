/**
 * Whether a workspace is the demo one on the built-in sandbox (`workspaces.sandbox`, decision
 * 0010): only its mailboxes may dial the sandbox's loopback ports. Services that connect from a
 * stored address ask this and put the answer in the connection settings (`sandbox`); the
 * network policy itself stays a pure rule over those settings.
 */
export type IsSandboxWorkspace = (workspaceId: string) => Promise<boolean>;

/** No sandbox in this process (PostgreSQL, `MAILROOM_SANDBOX=off`): never a query. */
export const noSandboxWorkspace: IsSandboxWorkspace = async () => false;

/**
 * Reads the flag, remembering only `true`: the flag is set once, by the demo seeding right
 * after the workspace is created, and never cleared, so a remembered `false` could be stale
 * while a `true` cannot. Only used while the sandbox runs (the embedded database).
 */
export function sandboxWorkspaceLookup(
  find: (workspaceId: string) => Promise<{ sandbox: boolean } | null>,
): IsSandboxWorkspace {
  const known = new Set<string>();
  return async (workspaceId) => {
    if (known.has(workspaceId)) return true;
    const sandbox = (await find(workspaceId))?.sandbox === true;
    if (sandbox) known.add(workspaceId);
    return sandbox;
  };
}
