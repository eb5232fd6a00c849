import { BrowserRouter } from 'react-router';
import { AppErrorBoundary } from './app-error-boundary';
import { AppProviders } from './app-providers';
import { AppRoutes } from './app-routes';

/** The whole web UI. */
export function App() {
  return (
    <AppProviders>
      <AppErrorBoundary>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </AppErrorBoundary>
    </AppProviders>
  );
}
