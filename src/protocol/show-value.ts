const MAX_SHOWN = 100;

/**
 * Render a received value for an error message: JSON where JSON can show it, cut to 100 characters.
 * Numbers JSON cannot write (NaN, Infinity, -Infinity), bigints and symbols are shown as JavaScript
 * writes them, also inside objects and arrays, because JSON would turn them into `null` or drop them.
 */
export function showValue(value: unknown): string {
  let shown: string;
  try {
    shown = render(value, new Set());
  } catch {
    // A getter or a proxy threw, so the type is all that can be shown.
    shown = Object.prototype.toString.call(value);
  }
  return shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN - 3)}...` : shown;
}

/**
 * Render one value. Rendering stops early once the text is longer than showValue keeps, so a huge array
 * costs no more than its first elements. `seen` contains the objects on the current path, to stop at cycles.
 */
function render(value: unknown, seen: Set<object>): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'function':
      return `a function${value.name ? ` named ${value.name}` : ''}`;
    case 'number':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'boolean':
      return String(value);
    case 'string':
      // One character more than is kept is enough to know the text gets cut.
      return JSON.stringify(value.length > MAX_SHOWN ? value.slice(0, MAX_SHOWN + 1) : value);
  }

  if (value === null) {
    return 'null';
  }
  if (value instanceof RegExp) {
    return String(value);
  }
  const object = value as object;
  if (seen.has(object)) {
    return '[Circular]';
  }
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
    return render((object as { toJSON(): unknown }).toJSON(), seen);
  }

  seen.add(object);
  const shown = Array.isArray(object) ? renderArray(object, seen) : renderObject(object, seen);
  seen.delete(object);
  return shown;
}

function renderArray(array: readonly unknown[], seen: Set<object>): string {
  let shown = '[';
  for (let index = 0; index < array.length && shown.length <= MAX_SHOWN; index++) {
    const item = array[index];
    // JSON writes an array element it cannot show as null, so a function or undefined keeps its place.
    const element = typeof item === 'function' || item === undefined ? 'null' : render(item, seen);
    shown += `${index > 0 ? ',' : ''}${element}`;
  }
  return `${shown}]`;
}

function renderObject(object: object, seen: Set<object>): string {
  let shown = '{';
  let first = true;
  for (const [key, field] of Object.entries(object)) {
    if (shown.length > MAX_SHOWN) {
      break;
    }
    // JSON leaves out fields it cannot show, so an options object of methods reads `{}`.
    if (typeof field === 'function' || field === undefined) {
      continue;
    }
    shown += `${first ? '' : ','}${JSON.stringify(key)}:${render(field, seen)}`;
    first = false;
  }
  return `${shown}}`;
}
