import { Alert, Button, Group, Stack, Title } from '@mantine/core';
import { Navigate, NavLink, Route, Routes, useMatch } from 'react-router';
import { Empty } from '../../components/status';
import { isAdmin, isStaff, useSession } from '../../session';
import { CouponsPage } from './coupons';
import { OrdersPage } from './orders';
import { PartnersPage } from './partners';
import { ProductsPage } from './products';
import { StockPage } from './stock';

/**
 * Where app.tsx mounts the console. Links use absolute paths: relative ones would resolve from the
 * current URL, not from /admin, because the console's route is a splat (`admin/*`).
 */
const BASE = '/admin';

function SectionLink({ section, label }: { section: string; label: string }) {
  const to = `${BASE}/${section}`;
  const active = useMatch({ path: to, end: false }) !== null;
  return (
    <Button component={NavLink} to={to} size="sm" variant={active ? 'filled' : 'subtle'}>
      {label}
    </Button>
  );
}

/**
 * The staff screens. The router refuses every admin operation without its scope anyway; this gate only
 * spares other viewers screens (and requests) that cannot work for them.
 */
export default function AdminConsole() {
  const session = useSession();
  if (!isStaff(session))
    return (
      <Stack>
        <Title order={1}>Admin console</Title>
        <Alert color="red" role="alert" data-testid="admin-refused">
          Your account does not have access to the admin console.
        </Alert>
      </Stack>
    );

  // Coupons and partner clients need coupons:write and users:manage, which only ADMIN has.
  const admin = isAdmin(session);
  return (
    <Stack>
      <Title order={1}>Admin console</Title>
      <Group component="nav" aria-label="Admin console" gap="xs" wrap="wrap">
        <SectionLink section="products" label="Products" />
        <SectionLink section="stock" label="Stock" />
        <SectionLink section="orders" label="Orders" />
        {admin && <SectionLink section="coupons" label="Coupons" />}
        {admin && <SectionLink section="partners" label="Partners" />}
      </Group>
      <Routes>
        <Route index element={<Navigate to={`${BASE}/products`} replace />} />
        <Route path="products" element={<ProductsPage />} />
        <Route path="stock" element={<StockPage />} />
        <Route path="orders" element={<OrdersPage />} />
        {admin && <Route path="coupons" element={<CouponsPage />} />}
        {admin && <Route path="partners" element={<PartnersPage />} />}
        <Route path="*" element={<Empty>There is no admin page here.</Empty>} />
      </Routes>
    </Stack>
  );
}
