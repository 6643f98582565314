/**
 * How a user name is compared: NFC (a name typed with a Vietnamese input method may arrive decomposed) and without
 * case, so one person cannot be two accounts, nor sign in as someone else's look-alike spelling of the same name.
 */
export function usernameKey(username: string): string {
  return username.normalize('NFC').toLowerCase();
}
