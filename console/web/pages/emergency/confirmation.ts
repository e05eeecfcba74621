import type { Target, TargetArea } from '../broadcasts/broadcast-api.js';
import { targetName } from '../broadcasts/target-tree.js';

/** "Xã Tân Biên (Tây Ninh)" → "Xã Tân Biên": what a person is asked to type, without the district. */
export function confirmationWord(areas: readonly TargetArea[], targets: readonly Target[]): string {
  const first = targets[0];
  if (!first) return '';
  return targetName(areas, first)
    .replace(/\s*\([^)]*\)\s*$/, '')
    .trim();
}

function normalise(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('vi');
}

/**
 * Typing the area's name is the deliberate step before an emergency sounds. Case and spacing do not
 * matter, diacritics do: "xa tan bien" is not "Xã Tân Biên", so a stray keystroke cannot pass.
 */
export function matchesConfirmation(typed: string, word: string): boolean {
  return word !== '' && normalise(typed) === normalise(word);
}
