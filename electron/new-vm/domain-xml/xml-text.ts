import { escapeAttribute, escapeText } from '../../../shared/xml/xml-entities';

/** `<name attr='…'>text</name>` with every value escaped; attributes with undefined values are left out. */
export function el(
  name: string,
  attrs: Readonly<Record<string, string | number | undefined>> = {},
  body?: string | readonly string[],
): string {
  const attrText = Object.entries(attrs)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}='${escapeAttribute(String(v))}'`)
    .join('');
  if (body === undefined) return `<${name}${attrText}/>`;
  if (typeof body === 'string') return `<${name}${attrText}>${escapeText(body)}</${name}>`;
  if (body.length === 0) return `<${name}${attrText}/>`;
  return `<${name}${attrText}>\n${indent(body.join('\n'))}\n</${name}>`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
