import { useSyncExternalStore } from 'react';
import type { ViewerFieldsFragment } from './graphql/generated';

/** A signed-in customer or staff member: the access token from login/register, and who it is for. */
export interface Session {
  token: string;
  /** ISO time the token stops working; the session ends itself then. */
  expiresAt: string;
  user: ViewerFieldsFragment;
}

type Listener = () => void;

// sessionStorage, not localStorage: the token lives only as long as the tab, and nothing sends it
// automatically (it travels as a Bearer header, so there is no cookie to forge requests with).
const STORAGE_KEY = 'minishop.session';

function readStored(): Session | null {
  try {
    const session = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    return session && Date.parse(session.expiresAt) > Date.now() ? session : null;
  } catch {
    return null;
  }
}

/**
 * The one place the session lives, readable outside React (the GraphQL client's links) and inside it
 * (useSession). `endedBecause` says why the last session ended on its own, for the sign-in page.
 */
class SessionStore {
  private session = readStored();
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<Listener>();
  endedBecause: string | null = null;

  constructor() {
    this.scheduleExpiry();
  }

  get current(): Session | null {
    return this.session;
  }

  signIn(session: Session): void {
    this.endedBecause = null;
    this.replace(session);
  }

  signOut(reason: string | null = null): void {
    if (!this.session) return;
    this.endedBecause = reason;
    this.replace(null);
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private replace(session: Session | null): void {
    this.session = session;
    if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(STORAGE_KEY);
    this.scheduleExpiry();
    for (const listener of this.listeners) listener();
  }

  private scheduleExpiry(): void {
    clearTimeout(this.expiryTimer);
    if (!this.session) return;
    // setTimeout fires at once for delays beyond 2^31-1 ms; tokens live far shorter than that 24.8 days.
    const delay = Math.min(Date.parse(this.session.expiresAt) - Date.now(), 2 ** 31 - 1);
    this.expiryTimer = setTimeout(() => this.signOut('Your session expired. Please sign in again.'), delay);
  }
}

export const sessionStore = new SessionStore();

export function useSession(): Session | null {
  return useSyncExternalStore(sessionStore.subscribe, () => sessionStore.current);
}

/** Staff roles that open the admin console (the router enforces each operation's scopes anyway). */
export function isStaff(session: Session | null): boolean {
  return session?.user.roles.some((role) => role === 'ADMIN' || role === 'OPS') ?? false;
}

export function isAdmin(session: Session | null): boolean {
  return session?.user.roles.includes('ADMIN') ?? false;
}
