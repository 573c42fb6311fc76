import { z } from "zod";

export const signInSchema = z.object({
  email: z.email("Enter a valid email address").trim().toLowerCase(),
  password: z.string().min(1, "Enter your password").max(200, "Password is too long"),
  callbackUrl: z.string().max(2048).optional(),
});

export type SignInInput = z.infer<typeof signInSchema>;
