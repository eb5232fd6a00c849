import { Button, Center, EmptyState } from '@mantine/core';
import { IconBug } from '@tabler/icons-react';
import { Component, type ReactNode } from 'react';
import { i18n } from '../i18n/i18n';

interface State {
  failed: boolean;
}

/**
 * Last line of defence: a rendering bug shows a calm "reload" screen instead of a blank
 * page. (Error boundaries must still be class components in React 19.)
 */
export class AppErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    console.error('mailroom UI crashed', error);
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <Center h="100vh" px="md">
        <EmptyState
          variant="light"
          color="red"
          icon={<IconBug />}
          title={i18n.t('crash.title')}
          description={i18n.t('crash.description')}
        >
          <EmptyState.Actions>
            <Button onClick={() => window.location.reload()}>{i18n.t('crash.reload')}</Button>
          </EmptyState.Actions>
        </EmptyState>
      </Center>
    );
  }
}
