/** Render a received value for an error message: JSON where possible, cut to 100 characters. */
export function showValue(value: unknown): string {
  if (value === undefined) {
    return 'undefined';
  }
  if (typeof value === 'function') {
    return `a function${value.name ? ` named ${value.name}` : ''}`;
  }
  if (value instanceof RegExp) {
    return String(value);
  }

  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = Object.prototype.toString.call(value);
  }
  return shown.length > 100 ? `${shown.slice(0, 97)}...` : shown;
}
