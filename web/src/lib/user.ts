// The name people type when they silence or acknowledge, remembered for next time.
const KEY = 'vigil.user';

export function rememberedUser(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function rememberUser(name: string): void {
  try {
    localStorage.setItem(KEY, name);
  } catch {
    // storage disabled
  }
}
