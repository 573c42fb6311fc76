import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", ".next-test/**", ".data/**", "node_modules/**", "lib/generated/**", "tools/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Design-system pieces: any screen may use them, so they depend on no screen.
    files: ["components/ui/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/app/*", "@/components/*", "!@/components/ui", "../*"],
              message: "components/ui imports only other components/ui pieces and lib/, never a feature folder (components/<domain>) or app/.",
            },
          ],
        },
      ],
    },
  },
];

export default config;
