/**
 * Escapes user text for Telegram's `parse_mode: 'HTML'`. Telegram's HTML parser
 * only needs `&`, `<` and `>` escaped (quotes matter inside attributes only, and
 * we never put user text there). `&amp;` in the input is escaped again on purpose:
 * the citizen's literal text must reach the chat unchanged.
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
