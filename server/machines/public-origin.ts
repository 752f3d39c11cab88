/**
 * The site's address as the caller reached it, for links a runner prints (the device login's
 * verification URL). CYXWIZ_PUBLIC_URL wins where a proxy hides the real one.
 */
export function publicOrigin(headers: Headers): string {
  const configured = process.env.CYXWIZ_PUBLIC_URL?.trim().replace(/\/+$/, '');
  if (configured) return configured;
  const host = headers.get('x-forwarded-host') ?? headers.get('host') ?? 'localhost:3000';
  const proto = headers.get('x-forwarded-proto') === 'https' ? 'https' : 'http';
  return `${proto}://${host}`;
}
