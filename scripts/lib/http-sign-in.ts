/** `name=value` pairs from a response's Set-Cookie headers. */
function cookiesOf(response: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
  }
  return jar;
}

/**
 * Signs in with email and password exactly as the sign-in form does (Auth.js: CSRF token, then the
 * credentials callback) and returns the Cookie header that carries the session.
 */
export async function signInOverHttp(baseUrl: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf);
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: baseUrl }).toString(),
  });
  for (const [k, v] of cookiesOf(response)) jar.set(k, v);
  if (![...jar.keys()].some((k) => k.endsWith('session-token'))) {
    throw new Error(`signing in ${email} failed (HTTP ${response.status}, ${response.headers.get('location') ?? 'no redirect'})`);
  }
  return cookie();
}
