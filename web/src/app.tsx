import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './components/layout';
import { Empty, Loading } from './components/status';
import { CartPage } from './pages/storefront/cart';
import { CatalogPage } from './pages/storefront/catalog';
import { CheckoutPage } from './pages/storefront/checkout';
import { LoginPage, RegisterPage } from './pages/storefront/account';
import { NotificationsPage } from './pages/storefront/notifications';
import { OrderPage } from './pages/storefront/order';
import { OrdersPage } from './pages/storefront/orders';
import { ProductPage } from './pages/storefront/product';
import { useSession } from './session';

// The admin console is its own chunk: customers never download it.
const AdminConsole = lazy(() => import('./pages/admin/console'));

/** Pages that need a signed-in viewer send anonymous visitors to sign in, then back here. */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session)
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<CatalogPage />} />
        <Route path="products/:id" element={<ProductPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="register" element={<RegisterPage />} />
        <Route
          path="cart"
          element={
            <RequireSession>
              <CartPage />
            </RequireSession>
          }
        />
        <Route
          path="checkout"
          element={
            <RequireSession>
              <CheckoutPage />
            </RequireSession>
          }
        />
        <Route
          path="orders"
          element={
            <RequireSession>
              <OrdersPage />
            </RequireSession>
          }
        />
        <Route
          path="orders/:id"
          element={
            <RequireSession>
              <OrderPage />
            </RequireSession>
          }
        />
        <Route
          path="notifications"
          element={
            <RequireSession>
              <NotificationsPage />
            </RequireSession>
          }
        />
        <Route
          path="admin/*"
          element={
            <RequireSession>
              <Suspense fallback={<Loading />}>
                <AdminConsole />
              </Suspense>
            </RequireSession>
          }
        />
        <Route path="*" element={<Empty>There is no page here.</Empty>} />
      </Route>
    </Routes>
  );
}
