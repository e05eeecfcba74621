import type { z } from 'zod';
import { UNITS } from '../contract/units.js';

type JsonSchema = z.core.JSONSchema.JSONSchema;

/** One row of a message's field table, flattened from its JSON Schema. */
export interface FieldRow {
  path: string;
  type: string;
  /** Undefined for a union variant, which is a choice rather than a field. */
  required: boolean | undefined;
  description: string;
  constraints: string;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function literal(value: unknown): string {
  return JSON.stringify(value);
}

function isUnitEnum(values: readonly unknown[]): boolean {
  return values.length === UNITS.length && UNITS.every((u) => values.includes(u));
}

/** Non-null variants of an anyOf/oneOf, and whether null was one of them. */
function splitNull(variants: readonly JsonSchema[]): { rest: JsonSchema[]; nullable: boolean } {
  const rest = variants.filter((v) => v.type !== 'null');
  return { rest, nullable: rest.length !== variants.length };
}

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return literal(schema.const);
  if (schema.enum) return isUnitEnum(schema.enum) ? 'unit' : 'enum';
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    const { rest, nullable } = splitNull(variants);
    const inner = [...new Set(rest.map(typeOf))].join(' \\| ');
    return nullable ? `${inner} \\| null` : inner;
  }
  if (schema.type === 'array') return isSchema(schema.items) ? `${typeOf(schema.items)}[]` : 'array';
  if (schema.type === 'object' && isSchema(schema.additionalProperties) && !schema.properties) {
    return `map of ${typeOf(schema.additionalProperties)}`;
  }
  if (Array.isArray(schema.type)) return schema.type.join(' \\| ');
  return schema.type ?? 'any';
}

function constraintsOf(schema: JsonSchema): string {
  const out: string[] = [];
  if (schema.enum)
    out.push(
      isUnitEnum(schema.enum) ? 'one of the units below' : `one of ${schema.enum.map(literal).join(', ')}`,
    );
  if (schema.format) out.push(`format ${schema.format}`);
  if (schema.pattern && schema.format !== 'uuid') out.push(`pattern \`${schema.pattern}\``);
  if (schema.minLength !== undefined && schema.minLength === schema.maxLength)
    out.push(`length ${schema.minLength}`);
  else {
    if (schema.minLength !== undefined) out.push(`min length ${schema.minLength}`);
    if (schema.maxLength !== undefined) out.push(`max length ${schema.maxLength}`);
  }
  if (typeof schema.exclusiveMinimum === 'number') out.push(`> ${schema.exclusiveMinimum}`);
  if (schema.minimum !== undefined) out.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined && schema.maximum < MAX_SAFE) out.push(`≤ ${schema.maximum}`);
  if (typeof schema.exclusiveMaximum === 'number') out.push(`< ${schema.exclusiveMaximum}`);
  if (schema.minItems !== undefined) out.push(`min ${schema.minItems} items`);
  if (schema.maxItems !== undefined) out.push(`max ${schema.maxItems} items`);
  if (schema.default !== undefined) out.push(`default ${literal(schema.default)}`);
  return out.join('; ');
}

/** The discriminator of a union of objects: the property every variant pins with a const. */
function discriminatorOf(variants: readonly JsonSchema[]): string | undefined {
  const first = variants[0]?.properties;
  if (!first) return undefined;
  return Object.keys(first).find((key) =>
    variants.every((v) => {
      const prop = v.properties?.[key];
      return isSchema(prop) && prop.const !== undefined;
    }),
  );
}

function walk(schema: JsonSchema, path: string, required: boolean, rows: FieldRow[]): void {
  rows.push({
    path,
    type: typeOf(schema),
    required,
    description: schema.description ?? '',
    constraints: constraintsOf(schema),
  });
  descend(schema, path, rows);
}

/** Rows for what is inside a field: an object's properties, union variants, map values, array items. */
function descend(schema: JsonSchema, path: string, rows: FieldRow[]): void {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    const { rest } = splitNull(variants);
    const tag = discriminatorOf(rest);
    if (rest.length === 1 && rest[0]) descend(rest[0], path, rows);
    else if (tag) variantRows(rest, tag, path, rows);
    return;
  }
  if (schema.type === 'object' && schema.properties) walkObject(schema, path, rows);
  else if (schema.type === 'object' && isSchema(schema.additionalProperties)) {
    walk(schema.additionalProperties, `${path}.*`, true, rows);
  } else if (schema.type === 'array' && isSchema(schema.items)) {
    const items = schema.items;
    if ((items.type === 'object' && items.properties) || items.anyOf || items.oneOf)
      descend(items, `${path}[]`, rows);
    else if (constraintsOf(items)) walk(items, `${path}[]`, true, rows);
  }
}

/** A row per variant of a discriminated union, then the variant's own fields. */
function variantRows(variants: readonly JsonSchema[], tag: string, path: string, rows: FieldRow[]): void {
  for (const variant of variants) {
    const prop = variant.properties?.[tag];
    const value = isSchema(prop) ? String(prop.const) : '?';
    const variantPath = `${path}{${tag}=${value}}`;
    rows.push({
      path: variantPath,
      type: 'object',
      required: undefined,
      description: `variant with ${tag} = ${literal(value)}`,
      constraints: '',
    });
    walkObject(variant, variantPath, rows, tag);
  }
}

function walkObject(schema: JsonSchema, path: string, rows: FieldRow[], skip?: string): void {
  const required = new Set(schema.required ?? []);
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (!isSchema(child) || key === skip) continue;
    walk(child, path ? `${path}.${key}` : key, required.has(key), rows);
  }
}

/** Every field of a message, depth first, in declaration order. */
export function fieldRows(schema: JsonSchema): FieldRow[] {
  const rows: FieldRow[] = [];
  // A message with several forms (telemetry's v 1 and v 2) is a union at the root.
  if (schema.anyOf ?? schema.oneOf) descend(schema, '', rows);
  else walkObject(schema, '', rows);
  return rows;
}

function cell(text: string): string {
  return text.replace(/\|/g, (match, offset: number, whole: string) =>
    whole[offset - 1] === '\\' ? match : '\\|',
  );
}

export function fieldTable(rows: readonly FieldRow[]): string {
  const lines = [
    '| Field | Type | Required | Description | Constraints |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| \`${r.path}\` | ${cell(r.type)} | ${r.required === undefined ? '—' : r.required ? 'yes' : 'no'} | ${cell(r.description)} | ${cell(r.constraints)} |`,
    );
  }
  return lines.join('\n');
}
