/**
 * Resolves once this thread has no open TCP or TLS socket left (every test server's and
 * client's connection closed). A socket emits its last 'error' before 'close', so after this a
 * late socket error can no longer appear: tests of "errors never escape" wait for this instead
 * of a fixed pause. Listening servers are other resources and do not count.
 */
export async function socketsClosed(timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  const open = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TLSWrap');
  while (open().length > 0) {
    if (Date.now() > until) throw new Error(`sockets still open: ${open().join(', ')}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
