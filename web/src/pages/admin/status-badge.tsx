import { Badge } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A status in a table cell. `max-content` as minimum width: otherwise a narrow column (tables shrink
 * columns to their minimum before scrolling) cuts the word to "ACTI…".
 */
export function StatusBadge({ color, testId, children }: { color: string; testId?: string; children: ReactNode }) {
  return (
    <Badge variant="light" color={color} miw="max-content" data-testid={testId}>
      {children}
    </Badge>
  );
}
