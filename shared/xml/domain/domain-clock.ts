import { getAttribute, patchAttributes, type FieldPatch } from '../element-attributes';
import { appendChild, removeChild, replaceChild } from '../element-children';
import { childElements, findElement } from '../element-query';
import { createElement, type XmlDocument } from '../xml-node';
import { domainRoot, updateDomainPath } from './domain-edit';

export interface ClockTimer {
  readonly name: string;
  readonly present: string | undefined;
  readonly tickpolicy: string | undefined;
  readonly track: string | undefined;
  readonly frequency: string | undefined;
  readonly mode: string | undefined;
}

export interface ClockView {
  /** utc, localtime (Windows guests), timezone, variable, absolute. */
  readonly offset: string | undefined;
  readonly timezone: string | undefined;
  readonly adjustment: string | undefined;
  readonly basis: string | undefined;
  /** Seconds since the epoch, for offset `absolute`. */
  readonly start: string | undefined;
  readonly timers: readonly ClockTimer[];
}

export function readClock(doc: XmlDocument): ClockView {
  const clock = findElement(domainRoot(doc), 'clock');
  return {
    offset: clock && getAttribute(clock, 'offset'),
    timezone: clock && getAttribute(clock, 'timezone'),
    adjustment: clock && getAttribute(clock, 'adjustment'),
    basis: clock && getAttribute(clock, 'basis'),
    start: clock && getAttribute(clock, 'start'),
    timers: clock
      ? childElements(clock, 'timer').map((t) => ({
          name: getAttribute(t, 'name') ?? '',
          present: getAttribute(t, 'present'),
          tickpolicy: getAttribute(t, 'tickpolicy'),
          track: getAttribute(t, 'track'),
          frequency: getAttribute(t, 'frequency'),
          mode: getAttribute(t, 'mode'),
        }))
      : [],
  };
}

/** Clock offset with its companions (timezone for `timezone`, adjustment/basis for `variable`). */
export function setClockOffset(
  doc: XmlDocument,
  offset: 'utc' | 'localtime' | 'timezone' | 'variable' | 'absolute',
  extra: {
    timezone?: FieldPatch<string>;
    adjustment?: FieldPatch<string>;
    basis?: FieldPatch<string>;
  } = {},
): XmlDocument {
  return updateDomainPath(doc, 'clock', (clock) =>
    patchAttributes(clock, {
      offset,
      timezone: offset === 'timezone' ? extra.timezone : null,
      adjustment:
        offset === 'variable' || offset === 'utc' || offset === 'localtime'
          ? extra.adjustment
          : null,
      basis: offset === 'variable' ? extra.basis : null,
    }),
  );
}

/** Adds or patches the timer `name` (rtc, pit, hpet, kvmclock, hypervclock, tsc …); null removes it. */
export function setClockTimer(
  doc: XmlDocument,
  name: string,
  patch: {
    present?: FieldPatch<'yes' | 'no'>;
    tickpolicy?: FieldPatch<'delay' | 'catchup' | 'merge' | 'discard'>;
    track?: FieldPatch<string>;
    frequency?: FieldPatch<string>;
    mode?: FieldPatch<string>;
  } | null,
): XmlDocument {
  return updateDomainPath(
    doc,
    'clock',
    (clock) => {
      const timer = childElements(clock, 'timer').find((t) => getAttribute(t, 'name') === name);
      if (patch === null) return timer ? removeChild(clock, timer) : clock;
      const next = patchAttributes(timer ?? createElement('timer', { name }), { ...patch });
      return timer ? replaceChild(clock, timer, next) : appendChild(clock, next);
    },
    { create: patch !== null },
  );
}
