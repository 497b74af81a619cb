import { useQuery } from '@apollo/client/react';
import { Anchor, AppShell, Badge, Burger, Button, Container, Group, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { MeDocument } from '../graphql/generated';
import { isStaff, sessionStore, useSession } from '../session';

/** Unread notifications and cart size refresh this often while signed in (new ones come from workers). */
const HEADER_POLL_MS = 10_000;

function NavItem({ to, children, onClick }: { to: string; children: ReactNode; onClick?: () => void }) {
  return (
    <Anchor component={NavLink} to={to} end={to === '/'} onClick={onClick} underline="never" fw={500} c="dark">
      {children}
    </Anchor>
  );
}

function Navigation({ onNavigate }: { onNavigate?: () => void }) {
  const session = useSession();
  const navigate = useNavigate();
  const { data } = useQuery(MeDocument, { skip: !session, pollInterval: HEADER_POLL_MS });
  const cartCount = data?.me?.cart.itemCount ?? 0;
  const unread = data?.me?.notifications?.unreadCount ?? 0;
  const close = onNavigate ? { onClick: onNavigate } : {};

  return (
    <>
      <NavItem to="/" {...close}>
        Shop
      </NavItem>
      {session && (
        <>
          <NavItem to="/cart" {...close}>
            Cart{' '}
            <Badge size="sm" variant="light" aria-label={`${cartCount} items in cart`} data-testid="cart-count">
              {cartCount}
            </Badge>
          </NavItem>
          <NavItem to="/orders" {...close}>
            Orders
          </NavItem>
          <NavItem to="/notifications" {...close}>
            Notifications{' '}
            {unread > 0 && (
              <Badge size="sm" color="red" aria-label={`${unread} unread notifications`} data-testid="unread-count">
                {unread}
              </Badge>
            )}
          </NavItem>
          {isStaff(session) && (
            <NavItem to="/admin" {...close}>
              Admin
            </NavItem>
          )}
        </>
      )}
      {session ? (
        <Group gap="xs">
          <Text size="sm" c="dimmed" data-testid="viewer-name">
            {session.user.name}
          </Text>
          <Button
            size="xs"
            variant="default"
            onClick={() => {
              sessionStore.signOut();
              onNavigate?.();
              void navigate('/');
            }}
          >
            Sign out
          </Button>
        </Group>
      ) : (
        <Group gap="xs">
          <Button size="xs" variant="default" component={Link} to="/login" {...close}>
            Sign in
          </Button>
          <Button size="xs" component={Link} to="/register" {...close}>
            Create account
          </Button>
        </Group>
      )}
    </>
  );
}

export function Layout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { desktop: true, mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Container size="lg" h="100%">
          <Group h="100%" justify="space-between" wrap="nowrap">
            <Anchor component={Link} to="/" underline="never" fw={700} size="lg">
              minishop
            </Anchor>
            <Group component="nav" aria-label="Main" gap="lg" visibleFrom="sm">
              <Navigation />
            </Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" aria-label="Toggle navigation" />
          </Group>
        </Container>
      </AppShell.Header>
      <AppShell.Navbar p="md">
        {/* Mounted only while open: one set of links in the page at a time. */}
        {opened && (
          <Stack component="nav" aria-label="Main (mobile)">
            <Navigation onNavigate={close} />
          </Stack>
        )}
      </AppShell.Navbar>
      <AppShell.Main>
        <Container size="lg">
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
