/**
 * What the server process sends `npm start` (its parent, over the IPC channel that carries the
 * metrics relay) once it accepts connections: the start script prints the dashboard's address
 * then, not while Next is still getting ready.
 */
export const SERVER_LISTENING = { kind: "hookrelay.server.listening" } as const;

export function isServerListening(message: unknown): boolean {
  return typeof message === "object" && message !== null && (message as { kind?: unknown }).kind === SERVER_LISTENING.kind;
}
