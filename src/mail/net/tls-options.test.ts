import { spawn } from 'node:child_process';
import { type AddressInfo, createServer as createNetServer, connect as netConnect } from 'node:net';
import { connect, createSecureContext, createServer, type Server, TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureCert, fixtureCert, fixturePath, testCaPem } from '../../../test/helpers/tls-fixtures.js';
import {
  buildTlsOptions,
  certificateProblemOf,
  certificateSha256,
  fetchPresentedCertificate,
  type TlsPolicyInput,
} from './tls-options.js';

const servers: Server[] = [];

const createSecureContextOptions = (name: FixtureCert) => ({
  secureContext: createSecureContext(fixtureCert(name)),
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A TLS server on 127.0.0.1 that presents `name` and writes a greeting; `swap` changes it later. */
async function startServer(name: FixtureCert): Promise<{ port: number; swap(next: FixtureCert): void }> {
  const server = createServer({ ...fixtureCert(name) }, (sock) => {
    sock.end('hello\r\n');
  });
  server.on('tlsClientError', () => {});
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    swap: (next) => server.setSecureContext(fixtureCert(next)),
  };
}

/** Connects to 127.0.0.1:port with the policy's options; resolves the greeting or rejects the TLS error. */
function handshake(port: number, input: TlsPolicyInput): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ ...buildTlsOptions(input), host: '127.0.0.1', port });
    let data = '';
    sock.setEncoding('utf8');
    sock.on('data', (d) => {
      data += d;
    });
    sock.on('end', () => resolve(data));
    sock.on('error', (err) => {
      sock.destroy();
      reject(err);
    });
  });
}

const pinOf = (name: FixtureCert) => {
  const pem = fixtureCert(name).cert;
  return { pem, sha256: certificateSha256(pem) };
};

async function problemOf(p: Promise<string>, pinned = false): Promise<string | null> {
  try {
    await p;
    return 'no error';
  } catch (err) {
    return certificateProblemOf(err, { pinned });
  }
}

describe('buildTlsOptions', () => {
  it('always verifies and requires TLS 1.2+', () => {
    const opts = buildTlsOptions({ servername: 'mail.example.com' });
    expect(opts.rejectUnauthorized).toBe(true);
    expect(opts.minVersion).toBe('TLSv1.2');
    expect(opts.servername).toBe('mail.example.com');
    // One parsed trust store per distinct trust list, shared by every connection.
    expect(opts.secureContext).toBeDefined();
    expect(buildTlsOptions({ servername: 'other.example.com' }).secureContext).toBe(opts.secureContext);
    expect(buildTlsOptions({ servername: 'x.example.com', trustedCa: [testCaPem()] }).secureContext).not.toBe(
      opts.secureContext,
    );
  });

  it('accepts a CA-signed certificate with the CA trusted', async () => {
    const { port } = await startServer('localhost');
    await expect(handshake(port, { servername: 'localhost', trustedCa: [testCaPem()] })).resolves.toBe(
      'hello\r\n',
    );
  });

  it('verifies an IP literal host against the certificate IP SAN (no SNI)', async () => {
    const { port } = await startServer('localhost');
    const opts = buildTlsOptions({ servername: '127.0.0.1', trustedCa: [testCaPem()] });
    expect(opts.servername).toBeUndefined();
    await expect(handshake(port, { servername: '127.0.0.1', trustedCa: [testCaPem()] })).resolves.toBe(
      'hello\r\n',
    );
  });

  it('refuses a CA-signed certificate when the CA is not trusted', async () => {
    const { port } = await startServer('localhost');
    expect(await problemOf(handshake(port, { servername: 'localhost' }))).toBe('untrusted_issuer');
  });

  it('refuses a self-signed certificate', async () => {
    const { port } = await startServer('self-signed');
    expect(await problemOf(handshake(port, { servername: 'localhost', trustedCa: [testCaPem()] }))).toBe(
      'self_signed',
    );
  });

  it('accepts a pinned self-signed certificate', async () => {
    const { port } = await startServer('self-signed');
    await expect(
      handshake(port, { servername: 'localhost', pinnedCert: pinOf('self-signed') }),
    ).resolves.toBe('hello\r\n');
  });

  it('reports pin_mismatch when the server swaps to another self-signed certificate', async () => {
    const server = await startServer('self-signed');
    const input = { servername: 'localhost', pinnedCert: pinOf('self-signed') };
    await expect(handshake(server.port, input)).resolves.toBe('hello\r\n');
    server.swap('self-signed-2');
    // self-signed-2 is no anchor: OpenSSL fails the chain before our fingerprint check runs.
    const failure = handshake(server.port, input);
    await expect(failure).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(await problemOf(failure, true)).toBe('pin_mismatch');
    expect(await problemOf(failure, false)).toBe('self_signed');
  });

  it('accepts a pinned CA-signed certificate whose CA is not trusted (partial chain)', async () => {
    const server = await startServer('localhost');
    await expect(
      handshake(server.port, { servername: 'localhost', pinnedCert: pinOf('localhost') }),
    ).resolves.toBe('hello\r\n');
    server.swap('other-localhost');
    expect(
      await problemOf(
        handshake(server.port, { servername: 'localhost', pinnedCert: pinOf('localhost') }),
        true,
      ),
    ).toBe('pin_mismatch');
  });

  it('reports pin_mismatch when a pinned endpoint presents another certificate that verifies', async () => {
    // Both pinned and trusted by CA: the CA-signed "other" cert verifies, so only the pin can catch it.
    const server = await startServer('localhost');
    const input = { servername: 'localhost', pinnedCert: pinOf('localhost'), trustedCa: [testCaPem()] };
    await expect(handshake(server.port, input)).resolves.toBe('hello\r\n');
    server.swap('other-localhost');
    expect(await problemOf(handshake(server.port, input), true)).toBe('pin_mismatch');
    // The fingerprint check itself raised it, so the code is ours even without context.
    expect(await problemOf(handshake(server.port, input))).toBe('pin_mismatch');
  });

  it('refuses a wrong host name, also when that certificate is pinned', async () => {
    const { port } = await startServer('wrong-name');
    expect(await problemOf(handshake(port, { servername: 'localhost', trustedCa: [testCaPem()] }))).toBe(
      'hostname_mismatch',
    );
    expect(
      await problemOf(handshake(port, { servername: 'localhost', pinnedCert: pinOf('wrong-name') }), true),
    ).toBe('hostname_mismatch');
  });

  it('refuses an expired certificate, also when pinned', async () => {
    const { port } = await startServer('expired');
    expect(await problemOf(handshake(port, { servername: 'localhost', trustedCa: [testCaPem()] }))).toBe(
      'expired',
    );
    expect(
      await problemOf(handshake(port, { servername: 'localhost', pinnedCert: pinOf('expired') }), true),
    ).toBe('expired');
  });
});

describe('operator CA from NODE_EXTRA_CA_CERTS', () => {
  // Node reads NODE_EXTRA_CA_CERTS once at start-up (and Node ≥ 22 exposes its store through
  // tls.getCACertificates), so this runs in a child process started with the variable set.
  it('stays trusted although our own trust list replaces the default store', async () => {
    const { port } = await startServer('localhost');
    const module = new URL('./tls-options.ts', import.meta.url).pathname;
    const script = `
      const { buildTlsOptions } = await import(${JSON.stringify(module)});
      const { connect } = await import('node:tls');
      const sock = connect({ ...buildTlsOptions({ servername: 'localhost' }), host: '127.0.0.1', port: ${port} });
      sock.once('secureConnect', () => { console.log('ok'); sock.destroy(); });
      sock.once('error', (err) => console.log(err.code ?? 'error'));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: fixturePath('ca.pem') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(out.trim()).toBe('ok');
  });
});

describe('certificateProblemOf', () => {
  const cases: Array<[unknown, string | null]> = [
    [
      Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
      'self_signed',
    ],
    [Object.assign(new Error('x'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }), 'self_signed'],
    [Object.assign(new Error('x'), { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }), 'untrusted_issuer'],
    [Object.assign(new Error('x'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), 'untrusted_issuer'],
    [Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }), 'expired'],
    [Object.assign(new Error('x'), { code: 'CERT_NOT_YET_VALID' }), 'not_yet_valid'],
    [Object.assign(new Error('x'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }), 'hostname_mismatch'],
    [Object.assign(new Error('x'), { code: 'ERR_MAILROOM_PIN_MISMATCH' }), 'pin_mismatch'],
    // nodemailer re-wraps socket errors as ESOCKET, keeping the message.
    [
      Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'ESOCKET' }),
      'self_signed',
    ],
    [Object.assign(new Error('certificate has expired'), { code: 'ESOCKET' }), 'expired'],
    [
      Object.assign(
        new Error(
          "Hostname/IP does not match certificate's altnames: Host: a. is not in the cert's altnames",
        ),
        {
          code: 'ESOCKET',
        },
      ),
      'hostname_mismatch',
    ],
    [new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }) }), 'expired'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ECONNREFUSED' }), null],
    [Object.assign(new Error('wrong version number'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }), null],
    [null, null],
    ['certificate has expired', 'expired'],
  ];
  it.each(cases)('%#: maps to %s', (err, expected) => {
    expect(certificateProblemOf(err)).toBe(expected);
  });
});

describe('fetchPresentedCertificate', () => {
  it('returns the presented certificate with its SHA-256 and subject', async () => {
    const { port } = await startServer('self-signed');
    const info = await fetchPresentedCertificate({
      address: '127.0.0.1',
      port,
      servername: 'localhost',
      timeoutMs: 5000,
    });
    expect(info?.sha256).toBe(certificateSha256(fixtureCert('self-signed').cert));
    expect(info?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(info?.subject).toContain('CN=localhost');
    expect(info?.altNames).toEqual(['localhost', '127.0.0.1']);
    expect(certificateSha256(info?.pem ?? '')).toBe(info?.sha256);
    expect(Date.parse(info?.validTo ?? '')).toBeGreaterThan(Date.now());
  });

  it('reads the certificate over a socket that already did STARTTLS in plain text', async () => {
    const plain = createNetServer((raw) => {
      raw.once('data', () => {
        raw.write('220 go ahead\r\n');
        const secure = new TLSSocket(raw, { isServer: true, ...createSecureContextOptions('self-signed') });
        secure.on('error', () => {});
      });
      raw.write('220 ready\r\n');
    });
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    try {
      const sock = netConnect((plain.address() as AddressInfo).port, '127.0.0.1');
      await new Promise<void>((r) => sock.once('data', () => r()));
      sock.write('STARTTLS\r\n');
      await new Promise<void>((r) => sock.once('data', () => r()));
      const info = await fetchPresentedCertificate({
        address: '127.0.0.1',
        port: 0,
        servername: 'localhost',
        socket: sock,
        timeoutMs: 5000,
      });
      expect(info?.sha256).toBe(certificateSha256(fixtureCert('self-signed').cert));
      expect(sock.destroyed).toBe(true);
    } finally {
      plain.close();
    }
  });

  it('resolves null when nothing listens', async () => {
    const { port } = await startServer('self-signed');
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
    const info = await fetchPresentedCertificate({
      address: '127.0.0.1',
      port,
      servername: 'localhost',
      timeoutMs: 5000,
    });
    expect(info).toBeNull();
  });
});
