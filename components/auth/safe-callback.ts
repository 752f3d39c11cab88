/**
 * Where to go after sign-in. Only the path of the callback is kept, so a crafted link can never send
 * people to another site (and a localhost / 127.0.0.1 mismatch does not matter).
 */
export function safeCallbackUrl(raw: string | null | undefined, fallback = '/dashboard'): string {
  if (!raw) return fallback;
  try {
    const url = new URL(raw, 'http://local.invalid');
    const path = url.pathname + url.search + url.hash;
    return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/signin') ? path : fallback;
  } catch {
    return fallback;
  }
}
