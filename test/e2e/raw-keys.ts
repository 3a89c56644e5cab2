/**
 * Text that looks like an internal key: snake_case words or dotted identifiers (a.b.c). E-mail
 * addresses and domain names are data, not keys.
 */
export function rawKeys(text: string): string[] {
  const found = text.match(/\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z]+[A-Za-z]*\.[a-z]+[A-Za-z.]*\b/g) ?? [];
  return found.filter((k) => !/@|\.(fr|com|org|net|test|example)\b/.test(k) && !text.includes(`@${k}`));
}
