import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { AppEnv } from '../../app/env.js';
import { BulletinInputSchema, OrderSchema } from '../bulletin/bulletins.js';
import { BroadcastRequestSchema, EmergencyRequestSchema } from '../live/request.js';
import { ScheduleInputSchema } from '../schedule/schedule-record.js';
import { ScheduleCheckSchema } from './schedule-calendar-routes.js';

const ErrorSchema = z.object({
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
});
const errors = Object.fromEntries(
  [
    [400, 'Bad input; `field` names the first field at fault'],
    [403, 'Missing role, or a target outside your areas'],
    [404, 'Unknown id or target'],
    [409, 'Conflicting slots or state (`conflicts` lists overlapping schedules)'],
    [422, 'Unknown audio, empty target, or an alert we cannot sound'],
  ].map(([status, description]) => [
    status,
    { description: String(description), content: { 'application/json': { schema: ErrorSchema } } },
  ]),
);
const NoteSchema = z.object({ note: z.string().max(500).optional() });

type Doc = [
  method: 'get' | 'post' | 'put' | 'delete',
  path: string,
  summary: string,
  body?: z.ZodType | 'xml',
];

const DOCS: Doc[] = [
  ['get', '/schedules', 'List schedules (filter with ?status=)'],
  [
    'post',
    '/schedules',
    'Create a schedule; 409 lists overlapping slots unless allowConflicts',
    ScheduleInputSchema,
  ],
  [
    'post',
    '/schedules/check',
    'Dry run of a save: conflicts, clusters, whether it would wait for approval (nothing stored)',
    ScheduleCheckSchema,
  ],
  [
    'get',
    '/schedules/calendar',
    'Occurrences of active and waiting schedules (?from=YYYY-MM-DD&days=&areaId=)',
  ],
  ['get', '/broadcast-targets', "The user's areas with their loudspeaker clusters, for picking targets"],
  ['get', '/schedules/sync', 'Schedule version published and acknowledged per cluster'],
  ['get', '/schedules/sync/{clusterId}', "One cluster's schedule sync state"],
  ['get', '/schedules/{id}', 'One schedule'],
  ['put', '/schedules/{id}', 'Replace a schedule (republished to its clusters)', ScheduleInputSchema],
  ['delete', '/schedules/{id}', 'Delete a schedule (republished to its clusters)'],
  ['post', '/schedules/{id}/approve', "Approve an operator's schedule", NoteSchema],
  ['post', '/schedules/{id}/reject', "Reject an operator's schedule", NoteSchema],
  ['get', '/broadcasts', 'List broadcasts (filter with ?status=)'],
  [
    'post',
    '/broadcasts',
    'Play now or relay a live stream (202 when it waits for approval)',
    BroadcastRequestSchema,
  ],
  ['post', '/broadcasts/emergency', 'Emergency broadcast through group topics', EmergencyRequestSchema],
  ['get', '/broadcasts/{id}', 'One broadcast with who sent and approved it'],
  ['post', '/broadcasts/{id}/approve', 'Approve and send a waiting broadcast', NoteSchema],
  ['post', '/broadcasts/{id}/reject', 'Reject a waiting broadcast', NoteSchema],
  ['post', '/broadcasts/{id}/stop', 'Stop a broadcast on its clusters', NoteSchema],
  ['get', '/broadcasts/{id}/delivery', 'Per-cluster acknowledgements, counts, latencies, who did not answer'],
  ['get', '/broadcasts/{id}/delivery/stream', 'The same as server-sent events (text/event-stream)'],
  ['get', '/approvals', 'Broadcasts and schedules waiting for approval'],
  ['get', '/bulletins', 'Bulletins from the information source'],
  ['post', '/bulletins', 'Receive a bulletin (Circular 39 level priority or normal)', BulletinInputSchema],
  ['get', '/bulletins/{id}', 'One bulletin'],
  [
    'post',
    '/bulletins/{id}/accept',
    'Accept a normal bulletin into the programme',
    z.object({ allowConflicts: z.boolean().optional() }),
  ],
  ['post', '/bulletins/{id}/reject', 'Reject a bulletin'],
  ['post', '/bulletins/{id}/order', "Order a priority bulletin against the commune's own item", OrderSchema],
  ['post', '/cap', 'A CAP 1.2 alert (XML): Alert, Update or Cancel', 'xml'],
  ['get', '/cap/{identifier}', 'What became of a CAP alert'],
];

/** Documents the module's routes in the console's OpenAPI document (handlers validate with the same schemas). */
export function documentRoutes(app: OpenAPIHono<AppEnv>): void {
  for (const [method, path, summary, body] of DOCS) {
    const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
    const content =
      body === 'xml'
        ? { 'application/cap+xml': { schema: z.string() } }
        : body
          ? { 'application/json': { schema: body } }
          : undefined;
    app.openAPIRegistry.registerPath({
      method,
      path,
      summary,
      tags: ['broadcasts'],
      request: {
        ...(params.length > 0
          ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) }
          : {}),
        ...(content ? { body: { content, required: true } } : {}),
      },
      responses: { 200: { description: 'OK' }, ...errors },
    });
  }
}
