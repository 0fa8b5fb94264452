import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  generateSampleRetailData,
  isLuhnValid,
  luhnCheckDigit,
  writeSampleRetailDatabase,
} from './sampleRetail';

/** ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 = 1. */
function isValidIban(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  const digits = rearranged.replace(/[A-Z]/g, c => String(c.charCodeAt(0) - 55));
  let remainder = 0;
  for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  return remainder === 1;
}

function dumpTables(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const hash = crypto.createHash('sha256');
    const objects = db
      .prepare(
        `SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`,
      )
      .all() as {
      type: string;
      name: string;
      sql: string;
    }[];
    for (const object of objects) {
      hash.update(`${object.type}:${object.name}:${object.sql}\n`);
      if (object.type === 'table' || object.type === 'view') {
        for (const row of db.prepare(`SELECT * FROM "${object.name}"`).all())
          hash.update(`${JSON.stringify(row)}\n`);
      }
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

describe('the sample-retail demo database', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racine-demo-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('checks Luhn digits like the card networks do', () => {
    expect(luhnCheckDigit('411111111111111')).toBe(1);
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('4111111111111112')).toBe(false);
    expect(isLuhnValid('378282246310005')).toBe(true);
  });

  it('generates the same realistic rows every time', () => {
    const data = generateSampleRetailData();
    expect(generateSampleRetailData()).toEqual(data);

    const counts = Object.fromEntries(
      Object.entries(data).map(([table, rows]) => [table, rows.length]),
    );
    expect(counts).toMatchObject({
      products: 80,
      customers: 400,
      orders: 1200,
      payments: 1200,
      employees: 120,
    });
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(4000);
    expect(total).toBeLessThan(10_000);

    for (const customer of data.customers) {
      expect(customer.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
      expect(customer.date_of_birth).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(customer.phone).toMatch(/^\+\d/);
    }
    expect(new Set(data.customers.map(c => c.country_code))).toEqual(
      new Set(['US', 'GB', 'DE', 'FR', 'NL']),
    );

    const cards = data.payments.filter(p => p.method === 'card');
    expect(cards.length).toBeGreaterThan(600);
    for (const payment of cards) {
      expect(isLuhnValid(String(payment.card_number))).toBe(true);
      expect(payment.card_expiry).toMatch(/^(0[1-9]|1[0-2])\/\d{2}$/);
    }
    const ibans = data.payments.filter(p => p.iban !== null).map(p => String(p.iban));
    expect(ibans.length).toBeGreaterThan(50);
    for (const iban of ibans) expect(isValidIban(iban)).toBe(true);

    for (const employee of data.employees) {
      expect(employee.ssn).toMatch(/^(?!000|666)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$/);
      expect(employee.salary).toBeGreaterThanOrEqual(34_000);
    }
    const customerIds = new Set(data.customers.map(c => c.customer_id));
    for (const order of data.orders) expect(customerIds.has(order.customer_id)).toBe(true);
  });

  it('writes the database once, identical across writes, with a view', () => {
    const a = path.join(dir, 'a', 'sample-retail.sqlite');
    const b = path.join(dir, 'b', 'sample-retail.sqlite');
    expect(writeSampleRetailDatabase(a)).toBe(true);
    expect(writeSampleRetailDatabase(a)).toBe(false);
    expect(writeSampleRetailDatabase(b)).toBe(true);
    expect(dumpTables(a)).toBe(dumpTables(b));
    expect(fs.readdirSync(path.dirname(a))).toEqual(['sample-retail.sqlite']);

    const db = new Database(a, { readonly: true });
    try {
      const top = db
        .prepare('SELECT * FROM customer_order_totals ORDER BY total_spent DESC LIMIT 1')
        .get() as Record<string, unknown>;
      expect(top).toMatchObject({
        order_count: expect.any(Number),
        email: expect.stringContaining('@'),
      });
      const orphans = db
        .prepare(
          'SELECT count(*) AS n FROM order_items i LEFT JOIN orders o ON o.order_id = i.order_id WHERE o.order_id IS NULL',
        )
        .get();
      expect(orphans).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
