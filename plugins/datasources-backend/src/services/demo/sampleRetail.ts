import fs from 'node:fs';
import path from 'node:path';
import { base, de, en, en_GB, en_US, Faker, fr, nl, type LocaleDefinition } from '@faker-js/faker';
import Database from 'better-sqlite3';

/**
 * The "sample-retail" demo database: a small online retailer with customers, products,
 * orders, payments and employees full of realistic synthetic personal data (names, emails,
 * phones, addresses, dates of birth, card numbers, IBANs, SSNs, salaries), so a fresh Racine
 * has something worth scanning. Every value comes from seeded faker instances and a fixed
 * reference date: the file is identical on every machine and every run.
 */

export const SAMPLE_RETAIL_FILE = 'sample-retail.sqlite';

const SEED = 20_250_101;
const REFERENCE_DATE = '2025-01-01T00:00:00.000Z';

const COUNTS = { products: 80, customers: 400, orders: 1200, employees: 120 };

interface Country {
  name: string;
  code: string;
  currency: string;
  locale: LocaleDefinition[];
  /** Share of customers, in percent. */
  weight: number;
}

const COUNTRIES: Country[] = [
  { name: 'United States', code: 'US', currency: 'USD', locale: [en_US, en, base], weight: 40 },
  { name: 'United Kingdom', code: 'GB', currency: 'GBP', locale: [en_GB, en, base], weight: 20 },
  { name: 'Germany', code: 'DE', currency: 'EUR', locale: [de, en, base], weight: 18 },
  { name: 'France', code: 'FR', currency: 'EUR', locale: [fr, en, base], weight: 12 },
  { name: 'Netherlands', code: 'NL', currency: 'EUR', locale: [nl, en, base], weight: 10 },
];

const CARD_BRANDS = [
  { value: { brand: 'visa', prefixes: ['4'], length: 16 }, weight: 55 },
  {
    value: { brand: 'mastercard', prefixes: ['51', '52', '53', '54', '55'], length: 16 },
    weight: 35,
  },
  { value: { brand: 'amex', prefixes: ['34', '37'], length: 15 }, weight: 10 },
];

const DEPARTMENTS = [
  'Sales',
  'Customer Service',
  'Logistics',
  'Finance',
  'Marketing',
  'Engineering',
  'Human Resources',
];

/** The Luhn check digit that makes `digits` + it a valid number. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

export function isLuhnValid(number: string): boolean {
  return /^\d+$/.test(number) && luhnCheckDigit(number.slice(0, -1)) === Number(number.slice(-1));
}

function seeded(locale: LocaleDefinition[], offset: number): Faker {
  const faker = new Faker({ locale });
  faker.seed(SEED + offset);
  faker.setDefaultRefDate(REFERENCE_DATE);
  return faker;
}

const isoDate = (date: Date) => date.toISOString().slice(0, 10);
const isoTime = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;
const money = (value: number) => Math.round(value * 100) / 100;

export interface SampleRetailData {
  products: Record<string, unknown>[];
  customers: Record<string, unknown>[];
  orders: Record<string, unknown>[];
  order_items: Record<string, unknown>[];
  payments: Record<string, unknown>[];
  employees: Record<string, unknown>[];
}

/** Generates every row; the same rows on every call. */
export function generateSampleRetailData(): SampleRetailData {
  const main = seeded([en_US, en, base], 0);
  const byCountry = new Map(
    COUNTRIES.map((country, i) => [country.code, seeded(country.locale, i + 1)]),
  );
  const localFaker = (code: string) => byCountry.get(code)!;

  const products = Array.from({ length: COUNTS.products }, (_, i) => ({
    product_id: i + 1,
    sku: `SR-${main.string.numeric({ length: 6, allowLeadingZeros: true })}`,
    name: main.commerce.productName(),
    category: main.commerce.department(),
    unit_price: Number(main.commerce.price({ min: 3, max: 900, dec: 2 })),
    created_at: isoTime(
      main.date.between({ from: '2020-01-01T00:00:00Z', to: '2022-01-01T00:00:00Z' }),
    ),
  }));

  const customers = Array.from({ length: COUNTS.customers }, (_, i) => {
    const country = main.helpers.weightedArrayElement(
      COUNTRIES.map(c => ({ value: c, weight: c.weight })),
    );
    const faker = localFaker(country.code);
    const sex = faker.person.sexType();
    const firstName = faker.person.firstName(sex);
    const lastName = faker.person.lastName(sex);
    return {
      customer_id: i + 1,
      first_name: firstName,
      last_name: lastName,
      email: faker.internet
        .email({ firstName, lastName, allowSpecialCharacters: false })
        .toLowerCase(),
      phone: faker.phone.number({ style: 'international' }),
      date_of_birth: isoDate(faker.date.birthdate({ mode: 'age', min: 18, max: 85 })),
      street_address: faker.location.streetAddress(),
      city: faker.location.city(),
      postal_code: faker.location.zipCode(),
      country: country.name,
      country_code: country.code,
      loyalty_tier: main.helpers.weightedArrayElement([
        { value: 'bronze', weight: 50 },
        { value: 'silver', weight: 30 },
        { value: 'gold', weight: 15 },
        { value: 'platinum', weight: 5 },
      ]),
      marketing_opt_in: main.datatype.boolean({ probability: 0.4 }) ? 1 : 0,
      created_at: isoTime(
        main.date.between({ from: '2020-01-01T00:00:00Z', to: '2024-06-30T00:00:00Z' }),
      ),
    };
  });

  const orders: Record<string, unknown>[] = [];
  const orderItems: Record<string, unknown>[] = [];
  const payments: Record<string, unknown>[] = [];
  for (let i = 0; i < COUNTS.orders; i++) {
    const customer = main.helpers.arrayElement(customers);
    const country = COUNTRIES.find(c => c.code === customer.country_code)!;
    const orderDate = main.date.between({
      from: '2022-01-01T00:00:00Z',
      to: '2024-12-31T00:00:00Z',
    });
    const status = main.helpers.weightedArrayElement([
      { value: 'delivered', weight: 70 },
      { value: 'shipped', weight: 10 },
      { value: 'processing', weight: 8 },
      { value: 'cancelled', weight: 7 },
      { value: 'refunded', weight: 5 },
    ]);
    const orderId = i + 1;
    let total = 0;
    const lines = main.number.int({ min: 1, max: 4 });
    for (const product of main.helpers.arrayElements(products, lines)) {
      const quantity = main.number.int({ min: 1, max: 3 });
      const lineTotal = money(quantity * (product.unit_price as number));
      total += lineTotal;
      orderItems.push({
        order_item_id: orderItems.length + 1,
        order_id: orderId,
        product_id: product.product_id,
        quantity,
        unit_price: product.unit_price,
        line_total: lineTotal,
      });
    }
    total = money(total);
    orders.push({
      order_id: orderId,
      customer_id: customer.customer_id,
      order_date: isoTime(orderDate),
      status,
      currency: country.currency,
      total_amount: total,
      shipping_street: customer.street_address,
      shipping_city: customer.city,
      shipping_postal_code: customer.postal_code,
      shipping_country: customer.country,
    });

    const faker = localFaker(country.code);
    const method =
      country.currency === 'EUR'
        ? main.helpers.weightedArrayElement([
            { value: 'card', weight: 60 },
            { value: 'sepa_transfer', weight: 30 },
            { value: 'paypal', weight: 10 },
          ])
        : main.helpers.weightedArrayElement([
            { value: 'card', weight: 85 },
            { value: 'paypal', weight: 15 },
          ]);
    let card: { brand: string; number: string; expiry: string } | null = null;
    if (method === 'card') {
      const brand = main.helpers.weightedArrayElement(CARD_BRANDS);
      const prefix = main.helpers.arrayElement(brand.prefixes);
      const body =
        prefix +
        main.string.numeric({ length: brand.length - prefix.length - 1, allowLeadingZeros: true });
      const expiry = main.date.between({
        from: orderDate,
        to: new Date(orderDate.getTime() + 5 * 365 * 86_400_000),
      });
      card = {
        brand: brand.brand,
        number: `${body}${luhnCheckDigit(body)}`,
        expiry: `${String(expiry.getUTCMonth() + 1).padStart(2, '0')}/${String(expiry.getUTCFullYear() % 100).padStart(2, '0')}`,
      };
    }
    payments.push({
      payment_id: i + 1,
      order_id: orderId,
      customer_id: customer.customer_id,
      paid_at: isoTime(
        new Date(orderDate.getTime() + main.number.int({ min: 1, max: 3600 }) * 1000),
      ),
      method,
      amount: total,
      currency: country.currency,
      status: status === 'refunded' ? 'refunded' : status === 'cancelled' ? 'voided' : 'captured',
      card_brand: card?.brand ?? null,
      card_holder_name: card ? `${customer.first_name} ${customer.last_name}` : null,
      card_number: card?.number ?? null,
      card_expiry: card?.expiry ?? null,
      iban:
        method === 'sepa_transfer'
          ? faker.finance.iban({ formatted: false, countryCode: country.code })
          : null,
      payer_email: method === 'paypal' ? customer.email : null,
    });
  }

  // The retailer is a US company: its staff have US addresses, SSNs and US bank accounts.
  const staff = localFaker('US');
  const managers = 8;
  const employees = Array.from({ length: COUNTS.employees }, (_, i) => {
    const sex = staff.person.sexType();
    const firstName = staff.person.firstName(sex);
    const lastName = staff.person.lastName(sex);
    const department =
      i < managers ? DEPARTMENTS[i % DEPARTMENTS.length] : main.helpers.arrayElement(DEPARTMENTS);
    // SSN-shaped ids in the issued ranges (area 001-899 except 666, group 01-99, serial 0001-9999).
    let area = staff.number.int({ min: 1, max: 899 });
    if (area === 666) area = 667;
    const ssn = `${String(area).padStart(3, '0')}-${String(staff.number.int({ min: 1, max: 99 })).padStart(2, '0')}-${String(staff.number.int({ min: 1, max: 9999 })).padStart(4, '0')}`;
    return {
      employee_id: i + 1,
      first_name: firstName,
      last_name: lastName,
      work_email: `${firstName}.${lastName}@sample-retail.example`
        .toLowerCase()
        .replace(/[^a-z0-9.@-]/g, ''),
      personal_email: staff.internet
        .email({ firstName, lastName, allowSpecialCharacters: false })
        .toLowerCase(),
      phone: staff.phone.number({ style: 'national' }),
      ssn,
      date_of_birth: isoDate(staff.date.birthdate({ mode: 'age', min: 20, max: 66 })),
      hire_date: isoDate(
        staff.date.between({ from: '2012-01-01T00:00:00Z', to: '2024-10-01T00:00:00Z' }),
      ),
      job_title: i < managers ? `${department} Manager` : staff.person.jobTitle(),
      department,
      manager_id: i < managers ? null : main.number.int({ min: 1, max: managers }),
      salary:
        i < managers
          ? staff.number.int({ min: 120, max: 185 }) * 1000
          : staff.number.int({ min: 34, max: 130 }) * 1000,
      bank_routing_number: staff.finance.routingNumber(),
      bank_account_number: staff.finance.accountNumber(10),
      street_address: staff.location.streetAddress(),
      city: staff.location.city(),
      state: staff.location.state({ abbreviated: true }),
      postal_code: staff.location.zipCode('#####'),
      country: 'United States',
    };
  });

  return { products, customers, orders, order_items: orderItems, payments, employees };
}

const SCHEMA = `
CREATE TABLE products (
  product_id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  unit_price NUMERIC(10,2) NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE customers (
  customer_id INTEGER PRIMARY KEY,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT NOT NULL,
  phone TEXT,
  date_of_birth DATE,
  street_address TEXT,
  city TEXT,
  postal_code TEXT,
  country TEXT NOT NULL,
  country_code CHAR(2) NOT NULL,
  loyalty_tier TEXT NOT NULL,
  marketing_opt_in BOOLEAN NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE TABLE orders (
  order_id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (customer_id),
  order_date TEXT NOT NULL,
  status TEXT NOT NULL,
  currency CHAR(3) NOT NULL,
  total_amount NUMERIC(12,2) NOT NULL,
  shipping_street TEXT,
  shipping_city TEXT,
  shipping_postal_code TEXT,
  shipping_country TEXT
);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE TABLE order_items (
  order_item_id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders (order_id),
  product_id INTEGER NOT NULL REFERENCES products (product_id),
  quantity INTEGER NOT NULL,
  unit_price NUMERIC(10,2) NOT NULL,
  line_total NUMERIC(12,2) NOT NULL
);
CREATE INDEX order_items_order ON order_items (order_id);
CREATE TABLE payments (
  payment_id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders (order_id),
  customer_id INTEGER NOT NULL REFERENCES customers (customer_id),
  paid_at TEXT NOT NULL,
  method TEXT NOT NULL,
  amount NUMERIC(12,2) NOT NULL,
  currency CHAR(3) NOT NULL,
  status TEXT NOT NULL,
  card_brand TEXT,
  card_holder_name TEXT,
  card_number TEXT,
  card_expiry TEXT,
  iban TEXT,
  payer_email TEXT
);
CREATE TABLE employees (
  employee_id INTEGER PRIMARY KEY,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  work_email TEXT NOT NULL,
  personal_email TEXT,
  phone TEXT,
  ssn TEXT NOT NULL,
  date_of_birth DATE NOT NULL,
  hire_date DATE NOT NULL,
  job_title TEXT NOT NULL,
  department TEXT NOT NULL,
  manager_id INTEGER REFERENCES employees (employee_id),
  salary INTEGER NOT NULL,
  bank_routing_number TEXT,
  bank_account_number TEXT,
  street_address TEXT,
  city TEXT,
  state TEXT,
  postal_code TEXT,
  country TEXT NOT NULL
);
CREATE VIEW customer_order_totals AS
  SELECT c.customer_id, c.first_name, c.last_name, c.email, c.country,
         COUNT(o.order_id) AS order_count,
         COALESCE(SUM(o.total_amount), 0) AS total_spent,
         MAX(o.order_date) AS last_order_date
  FROM customers c
  LEFT JOIN orders o ON o.customer_id = c.customer_id AND o.status NOT IN ('cancelled', 'refunded')
  GROUP BY c.customer_id, c.first_name, c.last_name, c.email, c.country;
`;

/** Table names in insertion order (parents before children). */
const TABLES: (keyof SampleRetailData)[] = [
  'products',
  'customers',
  'orders',
  'order_items',
  'payments',
  'employees',
];

/**
 * Writes the demo database to `file` unless it exists. The file is built under a temporary
 * name and renamed into place, so a concurrent process never sees a half-written database.
 * Returns true when this call wrote it.
 */
export function writeSampleRetailDatabase(file: string): boolean {
  if (fs.existsSync(file)) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  const data = generateSampleRetailData();
  const db = new Database(temporary);
  try {
    db.exec(SCHEMA);
    db.transaction(() => {
      for (const table of TABLES) {
        const rows = data[table];
        const columns = Object.keys(rows[0]);
        const insert = db.prepare(
          `INSERT INTO "${table}" (${columns.map(c => `"${c}"`).join(', ')}) VALUES (${columns.map(c => `@${c}`).join(', ')})`,
        );
        for (const row of rows) insert.run(row);
      }
    })();
    // Planner statistics, so discovery reports row counts without counting.
    db.exec('ANALYZE');
  } finally {
    db.close();
  }
  if (fs.existsSync(file)) {
    fs.rmSync(temporary, { force: true });
    return false;
  }
  fs.renameSync(temporary, file);
  return true;
}
