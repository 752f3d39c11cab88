/** The password rule as people read it; server/auth/password.ts enforces it. */
export const PASSWORD_HINT = 'At least 10 characters, with at least one letter and one number.';
