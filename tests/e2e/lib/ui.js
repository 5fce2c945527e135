// Reading numbers off the console the way it writes them (web/src/lib/format.ts): counts with
// thousands separators, rates as 99.52%.
const intFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export const fmtCount = (n) => intFormat.format(n);
export const fmtRate = (r) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(2)}%`);

// The text of a locator, whitespace collapsed.
export async function textOf(locator) {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

// The first number in a locator's text ("1,234" -> 1234, "3 条" -> 3).
export async function numberOf(locator) {
  const m = /-?[\d,]+(\.\d+)?/.exec(await textOf(locator));
  if (!m) throw new Error(`no number in "${await textOf(locator)}"`);
  return Number(m[0].replace(/,/g, ''));
}

// Waits until the element shows `text` (a string it contains, or a RegExp); on timeout the
// error says what it showed instead.
export async function waitForText(locator, text, timeout = 30_000) {
  try {
    await locator.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout });
  } catch (e) {
    const shown = await locator.first().textContent({ timeout: 1000 }).catch(() => '(not there)');
    throw new Error(`expected ${locator} to show ${text}; it shows "${shown}"\n${e.message}`);
  }
}

// The <input> of a test id that antd puts either on the input itself or on its wrapper.
export function inputOf(locator) {
  return locator.locator('xpath=descendant-or-self::input').first();
}
