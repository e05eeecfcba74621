import { ProfileError, loadProfileFile } from '../../profile/load.js';
import { EXIT_INVALID, EXIT_OK, type Output } from '../output.js';

/** `profiles check`: validates each file on its own, so one run reports every broken file. */
export function checkProfileFiles(files: readonly string[], io: Output): number {
  let failed = 0;
  for (const file of files) {
    try {
      loadProfileFile(file);
      io.out(`OK ${file}`);
    } catch (err) {
      failed++;
      if (!(err instanceof ProfileError)) throw err;
      io.err(`FAIL ${file}`);
      for (const issue of err.issues) io.err(`  ${file}: ${issue.field}: ${issue.message}`);
    }
  }
  if (files.length > 1) io.out(`${files.length - failed} of ${files.length} profile(s) valid`);
  return failed === 0 ? EXIT_OK : EXIT_INVALID;
}
