import { describe, expect, it } from "vitest";
import { passwordProblem, PASSWORD_MIN_LENGTH } from "@/lib/auth/password-policy";

describe("password policy", () => {
  it("accepts a long password of unrelated words", async () => {
    expect(await passwordProblem("violet tractor umbrella 42", { email: "nora@example.test", name: "Nora New" })).toBeNull();
  });

  it(`refuses fewer than ${PASSWORD_MIN_LENGTH} characters before estimating anything`, async () => {
    expect(await passwordProblem("Xk8#pq2!Lm")).toBe(`Use at least ${PASSWORD_MIN_LENGTH} characters`);
  });

  it.each([
    ["password1234", /similar to a commonly used password/],
    ["qwertyuiopasdf", /keyboard|commonly used/],
    ["aaaaaaaaaaaaaaaa", /Repeated characters/],
  ])("refuses %s with the estimator's feedback", async (password, feedback) => {
    const problem = await passwordProblem(password);
    expect(problem).toMatch(/^This password is too easy to guess\. /);
    expect(problem).toMatch(feedback);
  });

  it("refuses a password made of the person's own address or name", async () => {
    const person = { email: "gustavo.fring@pollos.example", name: "Gustavo Fring" };
    expect(await passwordProblem("gustavo.fring@pollos.example", person)).toMatch(/your name or e-mail address/);
    expect(await passwordProblem("Gustavo Fring!", person)).toMatch(/your name or e-mail address/);
    // The same password is fine for someone else.
    expect(await passwordProblem("Gustavo Fring!", { email: "someone@example.test" })).toBeNull();
  });
});
