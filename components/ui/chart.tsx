"use client";

import { createContext, useContext, useId } from "react";
import { Legend, ResponsiveContainer, Tooltip, type LegendPayload, type TooltipContentProps } from "recharts";
import { cn } from "@/lib/utils";

/**
 * shadcn/ui's chart pattern on Recharts: a config names each series and gives it a colour token;
 * the container turns them into `--color-<key>` variables, so series are drawn with
 * `fill="var(--color-failed)"` and follow the theme, and the tooltip and legend read their labels
 * from the same config. Axis text and grid lines take the muted tokens of both themes.
 */
export type ChartConfig = Record<string, { label: string; color: string }>;

const ChartContext = createContext<ChartConfig | null>(null);

function useChartConfig(): ChartConfig {
  const config = useContext(ChartContext);
  if (!config) throw new Error("Chart parts must be inside <ChartContainer>");
  return config;
}

export function ChartContainer({
  config,
  className,
  children,
  ...props
}: { config: ChartConfig; children: React.ComponentProps<typeof ResponsiveContainer>["children"] } & Omit<React.ComponentProps<"div">, "children">) {
  const id = useId();
  const style = Object.fromEntries(Object.entries(config).map(([key, { color }]) => [`--color-${key}`, color])) as React.CSSProperties;
  return (
    <ChartContext.Provider value={config}>
      <div
        data-chart={id}
        style={style}
        className={cn(
          "h-48 w-full text-xs",
          "[&_.recharts-cartesian-axis-tick_text]:fill-muted-foreground [&_.recharts-cartesian-axis-line]:stroke-border [&_.recharts-cartesian-axis-tick-line]:stroke-border",
          "[&_.recharts-cartesian-grid_line]:stroke-border [&_.recharts-rectangle.recharts-tooltip-cursor]:fill-muted [&_.recharts-curve.recharts-tooltip-cursor]:stroke-border",
          "[&_.recharts-surface]:outline-none",
          className,
        )}
        {...props}
      >
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </ChartContext.Provider>
  );
}

export const ChartTooltip = Tooltip;
export const ChartLegend = Legend;

type ValueType = number | string | (number | string)[];

/** The tooltip box: the label (through `labelFormatter`), then each series' colour, label and value. */
export function ChartTooltipContent({
  active,
  payload,
  label,
  labelFormatter,
  valueFormatter,
}: Partial<Pick<TooltipContentProps<ValueType, string>, "active" | "payload" | "label">> & {
  labelFormatter?: (label: unknown) => React.ReactNode;
  valueFormatter?: (value: number, key: string) => React.ReactNode;
}) {
  const config = useChartConfig();
  if (!active || !payload?.length) return null;
  return (
    <div className="grid min-w-32 gap-1.5 rounded-md border bg-popover px-2.5 py-1.5 text-xs text-popover-foreground shadow-md">
      <div className="font-medium">{labelFormatter ? labelFormatter(label) : String(label)}</div>
      {payload.map((item) => {
        const key = String(item.dataKey ?? item.name);
        const value = typeof item.value === "number" ? item.value : Number(item.value);
        return (
          <div key={key} className="flex items-center gap-2">
            <span aria-hidden className="size-2.5 shrink-0 rounded-sm" style={{ background: `var(--color-${key})` }} />
            <span className="text-muted-foreground">{config[key]?.label ?? key}</span>
            <span className="ml-auto font-mono font-medium tabular-nums">{valueFormatter ? valueFormatter(value, key) : value.toLocaleString()}</span>
          </div>
        );
      })}
    </div>
  );
}

/** The legend: each series' colour and label from the config. */
export function ChartLegendContent({ payload }: { payload?: readonly LegendPayload[] }) {
  const config = useChartConfig();
  if (!payload?.length) return null;
  // In the config's order, which is the order the series were meant to be read in.
  const order = Object.keys(config);
  const items = [...payload].sort((a, b) => order.indexOf(String(a.dataKey ?? a.value)) - order.indexOf(String(b.dataKey ?? b.value)));
  return (
    <ul className="flex flex-wrap items-center justify-center gap-4 pt-2">
      {items.map((item) => {
        const key = String(item.dataKey ?? item.value);
        return (
          <li key={key} className="flex items-center gap-1.5">
            <span aria-hidden className="size-2.5 shrink-0 rounded-sm" style={{ background: `var(--color-${key})` }} />
            {config[key]?.label ?? key}
          </li>
        );
      })}
    </ul>
  );
}
