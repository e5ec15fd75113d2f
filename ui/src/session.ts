/** The signed-in user, known after `/auth/me` or login; the session itself is the cookie. */
import type { User } from './api/types.js';

let user: User | null = null;

export function setUser(next: User | null): void {
  user = next;
}

export function currentUser(): User | null {
  return user;
}

/** Viewers may look at everything but change nothing; the API enforces it, the UI says it. */
export function isAdmin(): boolean {
  return user?.role === 'admin';
}
