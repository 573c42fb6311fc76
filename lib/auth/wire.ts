/** What the sign-in form gets back from its action (`useActionState`): the error to show and the address typed, kept. */
export interface SignInState {
  error?: string;
  email?: string;
}
