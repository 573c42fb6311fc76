import { randomInt } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Svix-like public id (`qtask` is a background task, as Svix names them): a type prefix and 22 base62 characters (~131 bits of randomness). */
export function publicId(prefix: "ep" | "msg" | "qtask"): string {
  let id = `${prefix}_`;
  for (let i = 0; i < 22; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}
