/**
 * An independent reading of XML for the tests: a small tokenizer that shares no code with
 * shared/xml, so a loss in our parser or serialiser shows up as a difference between the walk
 * of the input and the walk of our output. It applies the whitespace rule we chose: text made
 * only of whitespace is formatting when its parent also holds markup and no real text.
 */
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

function decode(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (ref, body: string) => {
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(Number(body.slice(1)));
    const value = NAMED[body];
    if (value === undefined) throw new Error(`test walker: unknown entity ${ref}`);
    return value;
  });
}

interface Node {
  readonly event: string;
  readonly text?: string;
  readonly isText?: boolean;
  readonly children?: Node[];
  readonly end?: string;
}

const TOKEN =
  /<!--([\s\S]*?)-->|<!\[CDATA\[([\s\S]*?)\]\]>|<\?([\s\S]*?)\?>|<\/([^\s>]+)\s*>|<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/gy;
const ATTRIBUTE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export function canonicalWalk(xml: string): string[] {
  const text = xml.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const root: Node = { event: 'document', children: [] };
  const stack: Node[] = [root];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`test walker: cannot read at ${at}: ${text.slice(at, at + 40)}`);
    const top = stack[stack.length - 1]!;
    const [, comment, cdata, pi, close, open, attrs, selfClose, chars] = m;
    if (comment !== undefined) top.children!.push({ event: `comment ${JSON.stringify(comment)}` });
    else if (cdata !== undefined) {
      top.children!.push({ event: `cdata ${JSON.stringify(cdata)}`, text: cdata, isText: true });
    } else if (pi !== undefined) {
      const target = /^\S+/.exec(pi)?.[0] ?? '';
      const body = pi.slice(target.length).trim();
      top.children!.push({ event: `pi ${target} ${JSON.stringify(body)}` });
    } else if (close !== undefined) {
      if (top.end !== `end ${close}`) throw new Error(`test walker: unexpected </${close}>`);
      stack.pop();
    } else if (open !== undefined) {
      const list: string[] = [];
      for (const a of (attrs ?? '').matchAll(ATTRIBUTE)) {
        const raw = a[2] ?? a[3] ?? '';
        list.push(`${a[1]}=${JSON.stringify(decode(raw.replace(/[\t\n]/g, ' ')))}`);
      }
      const node: Node = {
        event: `start ${open} ${list.join(' ')}`.trimEnd(),
        children: [],
        end: `end ${open}`,
      };
      top.children!.push(node);
      if (selfClose !== '/') stack.push(node);
    } else if (chars !== undefined) {
      const value = decode(chars);
      top.children!.push({ event: `text ${JSON.stringify(value)}`, text: value, isText: true });
    }
  }
  if (stack.length !== 1) throw new Error('test walker: unclosed elements');
  const out: string[] = [];
  const emitChildren = (parent: Node): void => {
    const kids = mergeTexts(parent.children ?? []);
    const realText = kids.some(
      (k) => k.isText && (k.event.startsWith('cdata') || /\S/.test(k.text ?? '')),
    );
    const formatting = parent === root || (kids.some((k) => !k.isText) && !realText);
    for (const kid of kids) {
      if (kid.event.startsWith('text') && formatting) continue;
      out.push(kid.event);
      emitChildren(kid);
      if (kid.end) out.push(kid.end);
    }
  };
  emitChildren(root);
  return out;
}

function mergeTexts(nodes: Node[]): Node[] {
  const out: Node[] = [];
  for (const node of nodes) {
    const last = out[out.length - 1];
    if (node.event.startsWith('text') && last?.event.startsWith('text')) {
      const value = (last.text ?? '') + (node.text ?? '');
      out[out.length - 1] = { event: `text ${JSON.stringify(value)}`, text: value, isText: true };
    } else {
      out.push(node);
    }
  }
  return out;
}

/** The changed region between two line (or event) lists: common prefix and suffix removed. */
export function changedHunk<T>(
  before: readonly T[],
  after: readonly T[],
): { at: number; removed: T[]; added: T[] } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start])
    start += 1;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB -= 1;
    endA -= 1;
  }
  return { at: start, removed: before.slice(start, endB), added: after.slice(start, endA) };
}
