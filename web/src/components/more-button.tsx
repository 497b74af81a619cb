import { Button, Stack } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { ErrorNotice } from './status';

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

/** For fetchMore's updateQuery: the next page of a connection, after the edges already shown. */
export function appendPage<C extends { pageInfo: PageInfo; edges: unknown[] }>(shown: C, next: C): C {
  return { ...next, edges: [...shown.edges, ...next.edges] };
}

/** Loads the page after `pageInfo.endCursor` with `load`, while there is one; says so when that fails. */
export function MoreButton({
  pageInfo,
  load,
  children,
}: {
  pageInfo: PageInfo;
  load: (after: string) => Promise<unknown>;
  children: ReactNode;
}) {
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { hasNextPage, endCursor } = pageInfo;
  if (!hasNextPage || !endCursor) return null;

  const more = async () => {
    setLoading(true);
    setError(null);
    await load(endCursor).catch(setError);
    setLoading(false);
  };

  return (
    <Stack align="center">
      {error !== null && <ErrorNotice error={error} />}
      <Button variant="default" loading={loading} onClick={() => void more()}>
        {children}
      </Button>
    </Stack>
  );
}
