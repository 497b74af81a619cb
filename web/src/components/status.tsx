import { Alert, Button, Center, Group, Loader, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { describeError } from '../errors';

/**
 * A failed operation, said by its meaning; `onRetry` offers to run it again. `messages` words some
 * error codes for the screen at hand (e.g. FORBIDDEN on a review means "buy it first").
 */
export function ErrorNotice({
  error,
  onRetry,
  messages,
}: {
  error: unknown;
  onRetry?: () => void;
  messages?: Partial<Record<string, string>>;
}) {
  const { title, message: general, code } = describeError(error);
  const message = (code && messages?.[code]) ?? general;
  return (
    <Alert color="red" title={title} role="alert" data-testid="error">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">{message}</Text>
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Group>
    </Alert>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Loader size="sm" mr="sm" />
      <Text c="dimmed">{label}</Text>
    </Center>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <Center py="xl">
      <Text c="dimmed">{children}</Text>
    </Center>
  );
}

/** The part of a useQuery result QueryState reads. */
export interface QueryResultLike<T> {
  data: T | undefined;
  error?: unknown;
  loading: boolean;
  refetch: () => Promise<unknown>;
}

/**
 * The three states of a query in one place: loading (before any data), error (with retry), or the
 * content. Data already shown stays while a refetch runs.
 */
export function QueryState<T>({ result, children }: { result: QueryResultLike<T>; children: (data: T) => ReactNode }) {
  if (result.data !== undefined) return <>{children(result.data)}</>;
  if (result.error)
    return <ErrorNotice error={result.error} onRetry={() => void result.refetch().catch(() => undefined)} />;
  if (result.loading) return <Loading />;
  return null;
}
