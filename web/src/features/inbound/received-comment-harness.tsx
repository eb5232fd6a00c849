// Not part of the app: bundled by test/browser/received-comment.test.ts to render ReceivedComment
// alone, in the app's providers.
import { createRoot } from 'react-dom/client';
import { AppProviders } from '../../app/app-providers';
import { i18n } from '../../i18n/i18n';
import { ReceivedComment } from './ReceivedComment';

const root = createRoot(document.getElementById('root')!);
(window as unknown as { mount: (id: string) => Promise<void> }).mount = async (id: string) => {
  await i18n.changeLanguage('pl');
  root.render(
    <AppProviders>
      <ReceivedComment commentId={id} fallbackText="(tekst z wątku)" />
    </AppProviders>,
  );
};
