import { Anchor, Badge, Card, Group, Rating, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { ProductCardFieldsFragment } from '../graphql/generated';
import { formatMoney } from '../format';

export function ProductRating({ rating }: { rating: ProductCardFieldsFragment['rating'] }) {
  if (rating.count === 0)
    return (
      <Text size="sm" c="dimmed">
        No reviews yet
      </Text>
    );
  const average = rating.average ?? 0;
  return (
    <Group
      gap={6}
      aria-label={`Rated ${average.toFixed(1)} out of 5 from ${rating.count} reviews`}
      data-testid="rating"
    >
      <Rating value={average} fractions={10} readOnly size="sm" />
      <Text size="sm" c="dimmed">
        {average.toFixed(1)} ({rating.count})
      </Text>
    </Group>
  );
}

export function StockBadge({ inStock }: { inStock: boolean }) {
  return inStock ? (
    <Badge color="teal" variant="light">
      In stock
    </Badge>
  ) : (
    <Badge color="gray" variant="light">
      Sold out
    </Badge>
  );
}

export function ProductCard({ product, category }: { product: ProductCardFieldsFragment; category?: string }) {
  return (
    <Card withBorder padding="md" component="article" aria-label={product.name}>
      <Stack gap="xs">
        <Anchor component={Link} to={`/products/${product.id}`} fw={600}>
          {product.name}
        </Anchor>
        {category && (
          <Text size="xs" c="dimmed">
            {category}
          </Text>
        )}
        <Group justify="space-between">
          <Text fw={700}>{formatMoney(product.price)}</Text>
          <StockBadge inStock={product.inStock} />
        </Group>
        <ProductRating rating={product.rating} />
      </Stack>
    </Card>
  );
}
