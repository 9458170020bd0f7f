import type { DomainEdit } from '../../../../../shared/contract';
import type { BandwidthLimits, InterfaceView } from '../../../../../shared/xml';

type BandwidthInput = NonNullable<Extract<DomainEdit, { kind: 'updateInterface' }>['bandwidth']>;
type DirectionInput = NonNullable<BandwidthInput['inbound']>;

export const bandwidthDirections = ['inbound', 'outbound'] as const;
export type BandwidthDirection = (typeof bandwidthDirections)[number];

/** One direction as typed: average and peak in KiB/s, burst in KiB ('' = none). */
export interface DirectionForm {
  average: string;
  peak: string;
  burst: string;
}
export type BandwidthForm = Record<BandwidthDirection, DirectionForm>;

function directionForm(limits: BandwidthLimits | undefined): DirectionForm {
  const text = (n: number | undefined): string => (n === undefined ? '' : String(n));
  return { average: text(limits?.average), peak: text(limits?.peak), burst: text(limits?.burst) };
}

export function bandwidthForm(view: InterfaceView['bandwidth']): BandwidthForm {
  return { inbound: directionForm(view.inbound), outbound: directionForm(view.outbound) };
}

const number = (text: string): number | null =>
  text.trim() === '' ? null : /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;

/** null: no limits in that direction; a string: the problem (a key under ioLimits.problems). */
function directionInput(form: DirectionForm): DirectionInput | null | string {
  const average = number(form.average);
  const peak = number(form.peak);
  const burst = number(form.burst);
  for (const n of [average, peak, burst]) {
    if (n !== null && (!Number.isSafeInteger(n) || n < 1)) return 'positiveNumber';
  }
  if (average === null) return peak === null && burst === null ? null : 'averageNeeded';
  return {
    average,
    ...(peak !== null ? { peak } : {}),
    ...(burst !== null ? { burst } : {}),
  };
}

export function bandwidthProblem(
  form: BandwidthForm,
): { direction: BandwidthDirection; key: string } | null {
  for (const direction of bandwidthDirections) {
    const input = directionInput(form[direction]);
    if (typeof input === 'string') return { direction, key: input };
  }
  return null;
}

/** The changed directions only (null removes one), or undefined when nothing changed. */
export function bandwidthEdit(
  form: BandwidthForm,
  base: BandwidthForm,
): BandwidthInput | undefined {
  const out: BandwidthInput = {};
  for (const direction of bandwidthDirections) {
    const now = directionInput(form[direction]);
    const before = directionInput(base[direction]);
    if (typeof now === 'string' || JSON.stringify(now) === JSON.stringify(before)) continue;
    out[direction] = now;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
