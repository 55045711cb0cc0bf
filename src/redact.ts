/**
 * Secrets (API keys) cut out of any text before it is logged or shown: servers echo the key in
 * error messages (OpenAI's 401 does), and an error can reach a log line or a fallback reason.
 * Values shorter than 4 characters are ignored, or an empty or one-letter "key" would blank out
 * every occurrence of that letter.
 */
export function redactor(secrets: ReadonlyArray<string | undefined>): (text: string) => string {
  const keys = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  if (keys.length === 0) return (text) => text;
  return (text) => keys.reduce((acc, k) => acc.split(k).join('***'), text);
}
