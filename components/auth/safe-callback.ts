/** Only same-site paths are followed after sign-in, so a link cannot bounce people to another site. */
export function safeCallbackUrl(raw: string | null | undefined, fallback = '/dashboard'): string {
  if (!raw) return fallback;
  try {
    const url = new URL(raw, 'http://local.invalid');
    if (url.origin !== 'http://local.invalid' && typeof window !== 'undefined' && url.origin !== window.location.origin) return fallback;
    const path = url.pathname + url.search + url.hash;
    return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/signin') ? path : fallback;
  } catch {
    return fallback;
  }
}
