import { Button, Group } from '@mantine/core';
import { useState } from 'react';

export interface CursorPages {
  /** The `after` argument of the current page. */
  after: string | null;
  /** 1-based number of the current page. */
  number: number;
  previous: () => void;
  next: (endCursor: string | null) => void;
}

/**
 * Page-by-page navigation over a cursor connection: remembers the cursors of the pages before the
 * current one, and starts again at page 1 whenever `key` (the filter) changes.
 */
export function useCursorPages(key: string): CursorPages {
  const [pages, setPages] = useState<{ key: string; cursors: (string | null)[] }>({ key, cursors: [null] });
  const cursors = pages.key === key ? pages.cursors : [null];
  return {
    after: cursors[cursors.length - 1] ?? null,
    number: cursors.length,
    previous: () => setPages({ key, cursors: cursors.slice(0, -1) }),
    next: (endCursor) => setPages({ key, cursors: [...cursors, endCursor] }),
  };
}

export function PageButtons({
  pages,
  pageInfo,
}: {
  pages: CursorPages;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}) {
  return (
    <Group justify="center">
      <Button variant="default" disabled={pages.number === 1} onClick={pages.previous}>
        Previous page
      </Button>
      <Button variant="default" disabled={!pageInfo.hasNextPage} onClick={() => pages.next(pageInfo.endCursor)}>
        Next page
      </Button>
    </Group>
  );
}
