import { Button, Stack } from '@mantine/core';
import { Link } from 'react-router';
import { Empty } from './status';

export function EmptyCart() {
  return (
    <Stack align="center" gap={0}>
      <Empty>Your cart is empty.</Empty>
      <Button component={Link} to="/" variant="light">
        Continue shopping
      </Button>
    </Stack>
  );
}
