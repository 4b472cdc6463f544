/** The answer of one API asked whether a configured token works (`otklik init`). */
export interface CredentialCheck {
  /** What was checked, in Russian: «VK (сообщество)». */
  name: string;
  /** The variable holding the credential. */
  variable: string;
  ok: boolean;
  /** What the API said: who the token belongs to, or why it failed (one line, no secrets). */
  detail: string;
}
