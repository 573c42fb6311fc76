import { randomInt } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Svix-like public id: `ep_` + 22 base62 characters (~131 bits of randomness). */
export function newEndpointId(): string {
  let id = "ep_";
  for (let i = 0; i < 22; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}
