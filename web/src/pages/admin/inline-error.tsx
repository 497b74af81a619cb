import { Text } from '@mantine/core';
import { describeError } from '../../errors';

/** A failed row action, said by its meaning in the row itself (an ErrorNotice does not fit a table cell). */
export function InlineError({ error }: { error: unknown }) {
  if (!error) return null;
  const { title, message } = describeError(error);
  return (
    <Text size="xs" c="red" role="alert">
      {title}: {message}
    </Text>
  );
}
