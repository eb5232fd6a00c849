import MailComposer from 'nodemailer/lib/mail-composer';

type ComposerOptions = ConstructorParameters<typeof MailComposer>[0];

/**
 * Builds MIME bytes with nodemailer's composer, never letting it read a file or fetch a URL
 * (SECURITY §3.3, §7 case 26): whatever the options say, `disableFileAccess` and
 * `disableUrlAccess` are forced on, so a `path`/`href` that slipped through fails the build.
 */
export function buildMime(options: ComposerOptions): Promise<Buffer> {
  const composer = new MailComposer({ ...options, disableFileAccess: true, disableUrlAccess: true });
  return new Promise((resolve, reject) => {
    composer.compile().build((err, raw) => (err ? reject(err) : resolve(raw)));
  });
}
