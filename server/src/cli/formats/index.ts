import { formatCodeQuality } from './codequality';
import type { FormatContext } from './context';
import { formatJson } from './json';
import { formatJunit } from './junit';
import { formatSarif } from './sarif';
import { formatText } from './text';

export type { FormatContext } from './context';

export const FORMAT_NAMES = ['text', 'json', 'sarif', 'junit', 'codequality'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

const FORMATTERS: Record<FormatName, (ctx: FormatContext) => string> = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  junit: formatJunit,
  codequality: formatCodeQuality,
};

export function render(name: FormatName, ctx: FormatContext): string {
  return `${FORMATTERS[name](ctx)}\n`;
}
