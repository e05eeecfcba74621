import { createRoute, z } from '@hono/zod-openapi';
import { builtinProfiles } from '@xaso/device-profiles';
import { errorResponses, ok } from '../app/common-schemas.js';
import { createRouter } from '../app/router.js';

const ProfileSummarySchema = z
  .object({
    name: z.string(),
    kind: z.string(),
    manufacturer: z.string(),
    model: z.string(),
    description: z.string().nullable(),
    /** The registry role a device with this profile is created with. */
    role: z.enum(['sensor-gateway', 'speaker-cluster']),
  })
  .openapi('DeviceProfileSummary');

const listRoute = createRoute({
  method: 'get',
  path: '/device-profiles',
  tags: ['devices'],
  summary: 'Built-in device profiles, for choosing one when provisioning',
  responses: { ...ok(z.object({ profiles: z.array(ProfileSummarySchema) })), ...errorResponses },
});

export function profileRoutes() {
  const app = createRouter();
  app.openapi(listRoute, (c) => {
    const profiles = [...builtinProfiles().values()]
      .map((p) => ({
        name: p.name,
        kind: p.kind,
        manufacturer: p.manufacturer,
        model: p.model,
        description: p.description ?? null,
        role: p.kind === 'speaker-controller' ? ('speaker-cluster' as const) : ('sensor-gateway' as const),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return c.json({ profiles }, 200);
  });
  return app;
}
