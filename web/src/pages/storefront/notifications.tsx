import { useMutation, useQuery } from '@apollo/client/react';
import { Badge, Button, Group, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Empty, ErrorNotice, QueryState } from '../../components/status';
import { formatDate } from '../../format';
import {
  MarkAllNotificationsReadDocument,
  MarkNotificationReadDocument,
  MeDocument,
  NotificationsDocument,
  type NotificationFieldsFragment,
} from '../../graphql/generated';

const PAGE_SIZE = 20;
/** The largest page the API serves. */
const MAX_SHOWN = 100;
const POLL_MS = 10_000;
/** Reading changes the header's unread count (Me) and, with "Unread only", the list itself. */
const AFTER_READING = [MeDocument, NotificationsDocument];

function NotificationItem({ notification }: { notification: NotificationFieldsFragment }) {
  const [markRead, { loading, error }] = useMutation(MarkNotificationReadDocument, {
    refetchQueries: AFTER_READING,
  });
  const { read } = notification;
  return (
    <Paper
      component="article"
      withBorder
      p="md"
      aria-label={notification.title}
      bg={read ? undefined : 'var(--mantine-color-blue-light)'}
    >
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Stack gap={4} style={{ flex: 1, minWidth: 220 }}>
            <Group gap="xs">
              {!read && (
                <Badge size="sm" color="blue">
                  Unread
                </Badge>
              )}
              <Text fw={read ? 500 : 700}>{notification.title}</Text>
            </Group>
            <Text size="sm">{notification.body}</Text>
            <Text size="xs" c="dimmed">
              {formatDate(notification.createdAt)}
            </Text>
          </Stack>
          {!read && (
            <Button
              size="xs"
              variant="light"
              loading={loading}
              onClick={() => void markRead({ variables: { id: notification.id } }).catch(() => undefined)}
            >
              Mark as read
            </Button>
          )}
        </Group>
        {error && <ErrorNotice error={error} />}
      </Stack>
    </Paper>
  );
}

export function NotificationsPage() {
  const [view, setView] = useState({ unreadOnly: false, pages: 1 });
  // "More" asks for a longer first page rather than the page after a cursor, so that the poll re-reads
  // everything shown (polling a cursor-merged list would shrink it back to the first page).
  const first = Math.min(PAGE_SIZE * view.pages, MAX_SHOWN);
  const result = useQuery(NotificationsDocument, {
    variables: { first, unreadOnly: view.unreadOnly },
    pollInterval: POLL_MS,
  });
  // While the longer list loads, the shorter one stays (same filter: only "More" raises `pages`).
  const data = result.data ?? (view.pages > 1 ? result.previousData : undefined);
  const [markAllRead, markAll] = useMutation(MarkAllNotificationsReadDocument, { refetchQueries: AFTER_READING });

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={1}>Notifications</Title>
        <Group wrap="wrap">
          <Switch
            label="Unread only"
            checked={view.unreadOnly}
            onChange={(e) => setView({ unreadOnly: e.currentTarget.checked, pages: 1 })}
          />
          <Button
            variant="default"
            loading={markAll.loading}
            disabled={data?.myNotifications.unreadCount === 0}
            onClick={() => void markAllRead().catch(() => undefined)}
          >
            Mark all as read
          </Button>
        </Group>
      </Group>
      {markAll.error && <ErrorNotice error={markAll.error} />}
      <QueryState result={{ ...result, data }}>
        {({ myNotifications: list }) =>
          list.edges.length === 0 ? (
            <Empty>{view.unreadOnly ? 'You have read all your notifications.' : 'No notifications yet.'}</Empty>
          ) : (
            <Stack>
              <Text size="sm" c="dimmed" aria-live="polite">
                {list.unreadCount} unread of {list.totalCount}
              </Text>
              <Stack gap="sm" data-testid="notification-list">
                {list.edges.map(({ node }) => (
                  <NotificationItem key={node.id} notification={node} />
                ))}
              </Stack>
              {list.pageInfo.hasNextPage &&
                (first < MAX_SHOWN ? (
                  <Group justify="center">
                    <Button
                      variant="default"
                      loading={!result.data}
                      onClick={() => setView({ ...view, pages: view.pages + 1 })}
                    >
                      More
                    </Button>
                  </Group>
                ) : (
                  <Text size="sm" c="dimmed" ta="center">
                    These are your {MAX_SHOWN} newest notifications.
                  </Text>
                ))}
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}
