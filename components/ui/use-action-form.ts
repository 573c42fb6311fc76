"use client";

import { useState, useTransition, type FormEvent } from "react";
import type { z } from "zod";
import type { ActionResult } from "@/lib/actions/define-action";
import { fieldErrorsByPath, type FieldErrors } from "@/lib/validations/field-errors";

export interface ActionFormOptions<I, T> {
  /** The zod schema the action parses with: checked first, so a mistake shows without a round trip. */
  schema?: z.ZodType;
  /** A check that needs loading first (the password strength lists), run after the schema's: the errors, or null. */
  check?: (input: I) => Promise<FieldErrors | null>;
  /** After the action succeeded; the errors are already cleared. */
  onSuccess?: (data: T, input: I) => void;
}

/**
 * Submit state of a form whose server action is written with `defineAction`: the schema check,
 * the call in a transition (`pending`), and the failure as field errors keyed by dotted path
 * (`headers.2.name`), or as `_form` when the failure names no field.
 */
export function useActionForm<I, T>(action: (input: I) => Promise<ActionResult<T>>, options: ActionFormOptions<I, T> = {}) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, startTransition] = useTransition();

  /** Checks the input against the schema and shows its errors; true when it passes. */
  function validate(input: I): boolean {
    const parsed = options.schema?.safeParse(input);
    if (parsed && !parsed.success) {
      setErrors(fieldErrorsByPath(parsed.error));
      return false;
    }
    return true;
  }

  /** Runs the action and shows its outcome; returns the result for a caller that shows it too (a confirm dialog). */
  async function run(input: I): Promise<ActionResult<T>> {
    const result = await action(input);
    if (!result.ok) {
      setErrors(result.fieldErrors ?? { _form: [result.error] });
      return result;
    }
    setErrors({});
    options.onSuccess?.(result.data, input);
    return result;
  }

  function submit(input: I) {
    if (!validate(input)) return;
    startTransition(async () => {
      const problems = await options.check?.(input);
      if (problems) return setErrors(problems);
      await run(input);
    });
  }

  /** The form's `onSubmit`: reads the input (from the state, or the form element's FormData) and submits it. */
  function handleSubmit(read: (form: HTMLFormElement) => I) {
    return (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      submit(read(event.currentTarget));
    };
  }

  /** `aria-invalid` and `aria-describedby` of the input for `key`: its error (`<key>-error` unless named) and its hint. */
  function ariaFor(key: string, ids: { error?: string; hint?: string } = {}) {
    const invalid = Boolean(errors[key]?.length);
    const describedBy = [invalid ? (ids.error ?? `${key}-error`) : null, ids.hint ?? null].filter(Boolean).join(" ");
    return { "aria-invalid": invalid || undefined, "aria-describedby": describedBy || undefined };
  }

  return { errors, pending, validate, run, submit, handleSubmit, ariaFor, clearErrors: () => setErrors({}) };
}
