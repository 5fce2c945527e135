// The users API for the admin's page (docs/desk.md "The API"): list, create (a generated
// password comes back once), change role / groups / e-mail / disabled.
import { deskRequest } from './http';
import type { Role } from './types';

export interface User {
  name: string;
  role: Role;
  groups: string[];
  email?: string | null;
  disabled: boolean;
  must_change_password: boolean;
  created_at?: string | null; // RFC 3339 (the users API's times, unlike the incidents' epoch ms)
  updated_at?: string | null;
}

export interface NewUser {
  name: string;
  role: Role;
  groups?: string[];
  email?: string;
  password?: string;
}

export type UserChange = Partial<Pick<User, 'role' | 'groups' | 'disabled'>> & { email?: string };

export const users = {
  list: () => deskRequest<{ users: User[] }>('GET', '/api/v1/users'),
  create: (u: NewUser) => deskRequest<User & { password?: string }>('POST', '/api/v1/users', u),
  update: (name: string, change: UserChange) =>
    deskRequest<User>('PATCH', `/api/v1/users/${encodeURIComponent(name)}`, change),
};
