import { createTheme } from '@mantine/core';

/** Mantine theme: calm indigo accents, rounded controls, system fonts. */

/**
 * The theme in one UI language: every dialog's close button is named (issue 8 item 7), so a
 * screen reader says "Zamknij" rather than "button".
 */
export function themeFor(closeLabel: string, closeNotificationLabel: string) {
  return createTheme({
    primaryColor: 'indigo',
    defaultRadius: 'md',
    fontFamily:
      'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    headings: { fontWeight: '650' },
    cursorType: 'pointer',
    components: {
      Modal: {
        defaultProps: {
          radius: 'lg',
          overlayProps: { backgroundOpacity: 0.45, blur: 2 },
          closeButtonProps: { 'aria-label': closeLabel },
        },
      },
      Drawer: { defaultProps: { closeButtonProps: { 'aria-label': closeLabel } } },
      // Toasts too ("Dodano komentarz" and its ×): a named button, not just "button".
      Notification: { defaultProps: { closeButtonProps: { 'aria-label': closeNotificationLabel } } },
      Tooltip: { defaultProps: { openDelay: 300 } },
    },
  });
}
