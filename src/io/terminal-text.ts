/**
 * Text for a terminal: characters that a terminal obeys (escape sequences, C1 controls) or
 * that reorder the text around them (bidi controls) are shown as visible `\u{…}` escapes,
 * so nothing read from a file or the command line can recolour, rewrite or reverse what is
 * shown. Line breaks and tabs are kept. In JSON the same characters become `\uXXXX` escapes,
 * which leave the JSON valid (they can only occur inside strings).
 */
const HIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;

export function terminalSafe(text: string): string {
  return text.replace(HIDDEN, (ch) => `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}`);
}

export function terminalSafeJson(json: string): string {
  return json.replace(HIDDEN, (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}
