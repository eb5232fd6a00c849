// Not part of the app: bundled by test/browser/helpers/received-harness.ts for the browser tests
// received-comment and received-images-csp, to render ReceivedComment alone, in the app's
// providers (in an element of its own: the second test mounts it into a page the real app serves).
import { createRoot } from 'react-dom/client';
import { AppProviders } from '../../app/app-providers';
import { i18n } from '../../i18n/i18n';
import { ReceivedComment } from './ReceivedComment';

const host = document.createElement('div');
host.id = 'received-harness';
document.body.append(host);
const root = createRoot(host);
(window as unknown as { mount: (id: string) => Promise<void> }).mount = async (id: string) => {
  await i18n.changeLanguage('pl');
  root.render(
    <AppProviders>
      <ReceivedComment commentId={id} fallbackText="(tekst z wątku)" />
    </AppProviders>,
  );
};
