import { z } from 'zod';
import packageJson from '../../package.json' with { type: 'json' };

const PackageSchema = z.object({ version: z.string() });

/** The version of this program, from its package.json (inlined when bundled). */
export const FIRMWARE_VERSION = PackageSchema.parse(packageJson).version;
