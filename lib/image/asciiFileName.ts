import { isPrintableAscii } from '../runtime/printableAscii';
import { replaceReserved } from './safeFileName';

/**
 * The ASCII form of a file's name, for the `filename` that old clients read beside RFC 6266's
 * `filename*`, which carries the name itself in UTF-8: each character loses its accents (NFKD,
 * then no combining marks), and one that is still not printable ASCII, or that no served name
 * holds (a full-width `／` becomes `/`), becomes `_`. A name in ASCII already is itself.
 *
 * @example
 * asciiFileName('Café résumé.png'); // 'Cafe resume.png'
 * asciiFileName('架构图 v2.png'); // '___ v2.png'
 */
export function asciiFileName(name: string): string {
  // Character by character, so that a letter whose decomposition is not ASCII (Hangul) is one `_`.
  const plain = [...name].map((character) => {
    const unaccented = character.normalize('NFKD').replace(/\p{M}/gu, '');
    return isPrintableAscii(unaccented) ? unaccented : '_';
  });
  return replaceReserved(plain.join(''), '_');
}
