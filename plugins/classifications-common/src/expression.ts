import type { CompositeExpression } from './rules';

/**
 * A composite rule's expression as text, for editors: `PII.EMAIL_ADDRESS AND NOT ACME.HR_TABLE`,
 * with AND binding tighter than OR, NOT tighter than both, and parentheses. Operators are case
 * insensitive; operands are rule or classifier ids.
 */
export class ExpressionSyntaxError extends Error {}

type Token = { kind: 'and' | 'or' | 'not' | 'open' | 'close' } | { kind: 'ref'; id: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(\(|\)|[A-Za-z_][A-Za-z0-9_.]*|\S)/y;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < text.length && (m = re.exec(text))) {
    const word = m[1]!;
    const upper = word.toUpperCase();
    if (word === '(') tokens.push({ kind: 'open' });
    else if (word === ')') tokens.push({ kind: 'close' });
    else if (upper === 'AND' || upper === 'OR' || upper === 'NOT')
      tokens.push({ kind: upper.toLowerCase() as 'and' | 'or' | 'not' });
    else if (/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/.test(word))
      tokens.push({ kind: 'ref', id: word.toUpperCase() });
    else
      throw new ExpressionSyntaxError(
        `Unexpected '${word}': operands are ids such as PII.EMAIL_ADDRESS`,
      );
    if (text.slice(re.lastIndex).trim() === '') break;
  }
  return tokens;
}

export function parseCompositeExpression(text: string): CompositeExpression {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const expect = (kind: Token['kind']) => {
    const t = tokens[pos];
    if (!t || t.kind !== kind)
      throw new ExpressionSyntaxError(
        `Expected ${kind === 'close' ? "')'" : kind.toUpperCase()} ${t ? 'before another term' : 'at the end'}`,
      );
    pos++;
  };
  const flatten = (op: 'and' | 'or', parts: CompositeExpression[]): CompositeExpression =>
    parts.length === 1
      ? parts[0]!
      : { op, of: parts.flatMap(p => ('op' in p && p.op === op ? p.of : [p])) };

  function orExpr(): CompositeExpression {
    const parts = [andExpr()];
    while (peek()?.kind === 'or') {
      pos++;
      parts.push(andExpr());
    }
    return flatten('or', parts);
  }
  function andExpr(): CompositeExpression {
    const parts = [unary()];
    while (peek()?.kind === 'and') {
      pos++;
      parts.push(unary());
    }
    return flatten('and', parts);
  }
  function unary(): CompositeExpression {
    const t = peek();
    if (!t) throw new ExpressionSyntaxError('The expression ends too early');
    if (t.kind === 'not') {
      pos++;
      return { op: 'not', of: [unary()] };
    }
    if (t.kind === 'open') {
      pos++;
      const inner = orExpr();
      expect('close');
      return inner;
    }
    if (t.kind === 'ref') {
      pos++;
      return { ref: t.id };
    }
    throw new ExpressionSyntaxError(
      `Unexpected ${t.kind === 'close' ? "')'" : t.kind.toUpperCase()}`,
    );
  }

  if (tokens.length === 0)
    throw new ExpressionSyntaxError(
      'Write an expression, e.g. PII.EMAIL_ADDRESS AND NOT ACME.TEST_DATA',
    );
  const expression = orExpr();
  if (pos < tokens.length)
    throw new ExpressionSyntaxError(
      'Unexpected text after the expression; join terms with AND or OR',
    );
  return expression;
}

/** The text form of an expression, parenthesised only where needed. */
export function formatCompositeExpression(
  expression: CompositeExpression,
  parent?: 'and' | 'or' | 'not',
): string {
  if ('ref' in expression) return expression.ref;
  if (expression.op === 'not') return `NOT ${formatCompositeExpression(expression.of[0]!, 'not')}`;
  const text = expression.of
    .map(e => formatCompositeExpression(e, expression.op))
    .join(expression.op === 'and' ? ' AND ' : ' OR ');
  const needs = parent === 'not' || (parent === 'and' && expression.op === 'or');
  return needs ? `(${text})` : text;
}
