import { useEffect } from 'react';

/** Sets the browser tab title to "<title> · mailroom". */
export function useDocumentTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · mailroom` : 'mailroom';
  }, [title]);
}
