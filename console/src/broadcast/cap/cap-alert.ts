import { z } from 'zod';
import { BroadcastError, parseInput } from '../errors.js';
import { XmlError, child, parseXml } from './xml.js';
import type { XmlElement } from './xml.js';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';

/** CAP 1.2 dateTime: seconds precision with an explicit offset, e.g. 2026-11-30T14:00:00+07:00. */
const CapTime = z
  .string()
  .trim()
  .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d)$/, 'CAP time like 2026-11-30T14:00:00+07:00')
  .transform((s, ctx) => {
    const ms = Date.parse(s);
    if (Number.isNaN(ms)) ctx.addIssue({ code: 'custom', message: 'not a real time' });
    return ms;
  });

const Text = z.string().trim().min(1);

const InfoSchema = z.object({
  language: z.string().trim().default('en-US'),
  category: z.array(Text).min(1, 'at least one <category>'),
  event: Text,
  urgency: z.enum(['Immediate', 'Expected', 'Future', 'Past', 'Unknown']),
  severity: z.enum(['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown']),
  certainty: z.enum(['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown']),
  expires: CapTime.optional(),
  headline: z.string().trim().optional(),
  description: z.string().trim().optional(),
  instruction: z.string().trim().optional(),
  parameter: z.array(z.object({ valueName: Text, value: z.string().trim() })),
  resource: z.array(
    z.object({
      resourceDesc: Text,
      mimeType: Text,
      uri: z.string().trim().optional(),
      digest: z.string().optional(),
    }),
  ),
  area: z.array(z.object({ areaDesc: Text, geocode: z.array(z.object({ valueName: Text, value: Text })) })),
});

export const CapAlertSchema = z
  .object({
    identifier: z
      .string()
      .trim()
      .regex(/^[^\s,<&]+$/, 'no spaces, commas or < &')
      .max(200),
    sender: z
      .string()
      .trim()
      .regex(/^[^\s,<&]+$/, 'no spaces, commas or < &')
      .max(200),
    sent: CapTime,
    status: z.enum(['Actual', 'Exercise', 'System', 'Test', 'Draft']),
    msgType: z.enum(['Alert', 'Update', 'Cancel', 'Ack', 'Error']),
    scope: z.enum(['Public', 'Restricted', 'Private']),
    references: z.string().trim().optional(),
    info: z.array(InfoSchema),
  })
  .refine((a) => a.msgType === 'Alert' || a.msgType === 'Ack' || a.references, {
    message: 'Update and Cancel must carry <references>',
    path: ['references'],
  })
  .refine((a) => a.msgType !== 'Alert' || a.info.length > 0, {
    message: 'an Alert needs an <info>',
    path: ['info'],
  });

export type CapAlert = z.infer<typeof CapAlertSchema>;
export type CapInfo = z.infer<typeof InfoSchema>;

const REPEATED = new Set([
  'info',
  'category',
  'parameter',
  'resource',
  'area',
  'geocode',
  'responseType',
  'code',
]);

/** Element → plain object: repeatable CAP elements become arrays, leaves their text. */
function toPlain(el: XmlElement): unknown {
  if (el.children.length === 0) return el.text;
  const out: Record<string, unknown> = {};
  for (const name of REPEATED) out[name] = [];
  for (const c of el.children) {
    const value = toPlain(c);
    if (REPEATED.has(c.name)) (out[c.name] as unknown[]).push(value);
    else if (c.name in out && !REPEATED.has(c.name))
      throw new BroadcastError(400, `alert: <${c.name}> appears twice in <${el.name}>`, c.name);
    else out[c.name] = value;
  }
  return out;
}

/** Parses CAP 1.2 XML; malformed XML or a missing/invalid field is a 400 naming it (e.g. alert.info.0.urgency). */
export function parseCap(xml: string): CapAlert {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (err) {
    if (err instanceof XmlError) throw new BroadcastError(400, `body: malformed XML: ${err.message}`, 'body');
    throw err;
  }
  if (root.name !== 'alert' || root.attributes.xmlns !== CAP_NAMESPACE)
    throw new BroadcastError(400, `alert: the root must be <alert xmlns="${CAP_NAMESPACE}">`, 'alert');
  if (!child(root, 'identifier'))
    throw new BroadcastError(400, 'alert.identifier: missing', 'alert.identifier');
  return parseInput(CapAlertSchema, toPlain(root), 'alert');
}

/** CAP `references`: space-separated "sender,identifier,sent" triples. */
export function referencedIdentifiers(references: string | undefined): string[] {
  if (!references) return [];
  return references
    .split(/\s+/)
    .filter((r) => r !== '')
    .map((r) => r.split(',')[1] ?? '')
    .filter((id) => id !== '');
}
