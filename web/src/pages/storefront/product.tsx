import { useMutation, useQuery } from '@apollo/client/react';
import {
  Button,
  Group,
  NumberInput,
  Paper,
  Rating,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { MoreButton, appendPage } from '../../components/more-button';
import { ProductRating, StockBadge } from '../../components/product-card';
import { Empty, ErrorNotice, QueryState } from '../../components/status';
import { formatDate, formatMoney } from '../../format';
import {
  AddToCartDocument,
  CreateReviewDocument,
  MeDocument,
  MyOrdersDocument,
  ProductDetailDocument,
  type MyOrdersQuery,
  type OrderStatus,
  type ProductDetailQuery,
} from '../../graphql/generated';
import { useSession } from '../../session';

type Product = NonNullable<ProductDetailQuery['product']>;
type Review = Product['reviews']['edges'][number]['node'];

const RATING_OPTIONS = [
  { value: '5', label: '5 – Excellent' },
  { value: '4', label: '4 – Good' },
  { value: '3', label: '3 – Average' },
  { value: '2', label: '2 – Poor' },
  { value: '1', label: '1 – Terrible' },
];

/** Orders in these states are paid for: their products may be reviewed. */
const PURCHASED: OrderStatus[] = ['PAID', 'SHIPPED', 'DELIVERED'];

function hasBought(data: MyOrdersQuery, productId: string): boolean {
  return (
    data.me?.orders?.edges.some(
      ({ node }) => PURCHASED.includes(node.status) && node.items.some((item) => item.product.id === productId),
    ) ?? false
  );
}

function quantityError(quantity: string | number): string | null {
  return Number.isInteger(quantity) && Number(quantity) >= 1 && Number(quantity) <= 99 ? null : 'Choose 1 to 99';
}

function AddToCart({ product }: { product: Product }) {
  const session = useSession();
  const [quantity, setQuantity] = useState<string | number>(1);
  const [addToCart, { loading, error }] = useMutation(AddToCartDocument, { refetchQueries: [MeDocument] });

  if (!session)
    return (
      <Button component={Link} to={`/login?next=/products/${product.id}`} variant="light">
        Sign in to buy
      </Button>
    );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (quantityError(quantity)) return;
    const added = await addToCart({ variables: { productId: product.id, quantity: Number(quantity) } }).then(
      () => true,
      () => false,
    );
    if (added) notifications.show({ color: 'teal', message: 'Added to cart' });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {error && <ErrorNotice error={error} />}
        <Group align="flex-end" wrap="wrap">
          <NumberInput
            label="Quantity"
            min={1}
            max={99}
            allowDecimal={false}
            allowNegative={false}
            value={quantity}
            onChange={setQuantity}
            error={quantityError(quantity)}
            w={110}
          />
          <Button type="submit" loading={loading} disabled={!product.inStock}>
            Add to cart
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ReviewItem({ review }: { review: Review }) {
  return (
    <Paper component="article" withBorder p="md">
      <Stack gap={4}>
        <Group justify="space-between" wrap="wrap">
          <Group gap="xs">
            <Rating value={review.rating} readOnly size="sm" aria-label={`${review.rating} out of 5`} />
            <Text fw={600}>{review.title}</Text>
          </Group>
          <Text size="sm" c="dimmed">
            {review.author.name} · {formatDate(review.createdAt)}
          </Text>
        </Group>
        <Text style={{ whiteSpace: 'pre-line' }}>{review.body}</Text>
      </Stack>
    </Paper>
  );
}

function ReviewForm({ productId }: { productId: string }) {
  const [rating, setRating] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [attempted, setAttempted] = useState(false);
  const [createReview, { loading, error }] = useMutation(CreateReviewDocument, {
    refetchQueries: [ProductDetailDocument],
  });
  const errors = {
    rating: rating ? null : 'Choose a rating',
    title: !title.trim() ? 'Enter a title' : title.trim().length > 200 ? 'At most 200 characters' : null,
    body: !body.trim() ? 'Write your review' : body.trim().length > 5000 ? 'At most 5000 characters' : null,
  };
  const shown = (message: string | null) => (attempted ? message : null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    if (errors.rating || errors.title || errors.body) return;
    const input = { productId, rating: Number(rating), title: title.trim(), body: body.trim() };
    const created = await createReview({ variables: { input } }).then(
      () => true,
      () => false,
    );
    if (!created) return;
    notifications.show({ color: 'teal', message: 'Thanks for your review' });
    setRating(null);
    setTitle('');
    setBody('');
    setAttempted(false);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {error && (
          <ErrorNotice
            error={error}
            messages={{
              // The purchase reaches the reviews service shortly after payment, not at once.
              FORBIDDEN: 'Reviews are for customers who bought this product. If you just paid, try again in a moment.',
            }}
          />
        )}
        <Select
          label="Rating"
          placeholder="Choose a rating"
          data={RATING_OPTIONS}
          value={rating}
          onChange={setRating}
          error={shown(errors.rating)}
          required
          maw={240}
        />
        <TextInput
          label="Title"
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          error={shown(errors.title)}
          required
        />
        <Textarea
          label="Review"
          autosize
          minRows={3}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          error={shown(errors.body)}
          required
        />
        <Group>
          <Button type="submit" loading={loading}>
            Submit review
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Only verified purchasers may review (the server enforces it too): the form shows for them alone. */
function WriteReview({ productId }: { productId: string }) {
  const session = useSession();
  const orders = useQuery(MyOrdersDocument, { variables: { first: 100 }, skip: !session });
  const notBought = (
    <Text size="sm" c="dimmed">
      Only customers who bought this product can review it.
    </Text>
  );
  if (!session) return notBought;
  return (
    <QueryState result={orders}>
      {(data) => (hasBought(data, productId) ? <ReviewForm productId={productId} /> : notBought)}
    </QueryState>
  );
}

function Reviews({ product, loadMore }: { product: Product; loadMore: (after: string) => Promise<unknown> }) {
  const { reviews } = product;
  return (
    <Stack component="section">
      <Title order={2}>Reviews ({reviews.totalCount})</Title>
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={3} size="h4">
            Write a review
          </Title>
          <WriteReview productId={product.id} />
        </Stack>
      </Paper>
      {reviews.edges.length === 0 ? (
        <Empty>No reviews yet</Empty>
      ) : (
        reviews.edges.map(({ node }) => <ReviewItem key={node.id} review={node} />)
      )}
      <MoreButton pageInfo={reviews.pageInfo} load={loadMore}>
        More reviews
      </MoreButton>
    </Stack>
  );
}

function ProductDetail({
  product,
  loadMoreReviews,
}: {
  product: Product;
  loadMoreReviews: (after: string) => Promise<unknown>;
}) {
  const { category } = product;
  return (
    <Stack gap="xl">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {category.parent ? `${category.parent.name} › ${category.name}` : category.name}
          </Text>
          <Title order={1}>{product.name}</Title>
          {/* The reviews section says "No reviews yet" itself. */}
          {product.rating.count > 0 && <ProductRating rating={product.rating} />}
          <Text style={{ whiteSpace: 'pre-line' }}>{product.description}</Text>
        </Stack>
        <Paper withBorder p="lg">
          <Stack gap="md">
            <Group justify="space-between" wrap="wrap">
              <Text size="xl" fw={700} data-testid="product-price">
                {formatMoney(product.price)}
              </Text>
              <StockBadge inStock={product.inStock} />
            </Group>
            <AddToCart product={product} />
          </Stack>
        </Paper>
      </SimpleGrid>
      <Reviews product={product} loadMore={loadMoreReviews} />
    </Stack>
  );
}

export function ProductPage() {
  const { id = '' } = useParams();
  const result = useQuery(ProductDetailDocument, { variables: { id } });
  const loadMoreReviews = (after: string) =>
    result.fetchMore({
      variables: { reviewsAfter: after },
      updateQuery: (shown, { fetchMoreResult: next }) =>
        shown.product && next.product
          ? { product: { ...shown.product, reviews: appendPage(shown.product.reviews, next.product.reviews) } }
          : shown,
    });

  return (
    <QueryState result={result}>
      {({ product }) =>
        product ? (
          <ProductDetail product={product} loadMoreReviews={loadMoreReviews} />
        ) : (
          <Empty>This product does not exist.</Empty>
        )
      }
    </QueryState>
  );
}
