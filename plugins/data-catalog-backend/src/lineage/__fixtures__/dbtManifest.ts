/**
 * A dbt `manifest.json` (schema v12, dbt 1.8) of the jaffle_shop example project on
 * PostgreSQL, trimmed to the fields lineage reads plus a few it must ignore (a test, a macro).
 */
const metadata = {
  dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json',
  dbt_version: '1.8.7',
  generated_at: '2026-11-20T08:14:03.512345Z',
  invocation_id: '5f0b9a2e-3c1d-4e8f-9a7b-6c5d4e3f2a1b',
  env: {},
  project_name: 'jaffle_shop',
  project_id: '06e5b98c2db46f8a72cc4f66410e9b3b',
  user_id: null,
  send_anonymous_usage_stats: false,
  adapter_type: 'postgres',
};

const column = (name: string, description = '', data_type: string | null = null) => ({
  name,
  description,
  meta: {},
  data_type,
  constraints: [],
  quote: null,
  tags: [],
});

const source = (name: string, columns: string[]) => ({
  database: 'analytics',
  schema: 'raw',
  name,
  resource_type: 'source',
  package_name: 'jaffle_shop',
  path: 'models/staging/sources.yml',
  original_file_path: 'models/staging/sources.yml',
  unique_id: `source.jaffle_shop.jaffle_shop.${name}`,
  fqn: ['jaffle_shop', 'staging', 'jaffle_shop', name],
  source_name: 'jaffle_shop',
  source_description: 'Raw data loaded by the EL tool',
  loader: 'fivetran',
  identifier: name,
  quoting: {},
  loaded_at_field: null,
  freshness: {
    warn_after: { count: null, period: null },
    error_after: { count: null, period: null },
  },
  external: null,
  description: `Raw ${name}`,
  columns: Object.fromEntries(columns.map(c => [c, column(c)])),
  meta: {},
  source_meta: {},
  tags: [],
  config: { enabled: true },
  relation_name: `"analytics"."raw"."${name}"`,
  created_at: 1763626443.1,
});

const model = (
  name: string,
  materialized: string,
  dependsOn: string[],
  columns: Record<string, string>,
  compiled: string,
) => ({
  database: 'analytics',
  schema: 'dbt_prod',
  name,
  resource_type: 'model',
  package_name: 'jaffle_shop',
  path: `${name}.sql`,
  original_file_path: `models/${name}.sql`,
  unique_id: `model.jaffle_shop.${name}`,
  fqn: ['jaffle_shop', name],
  alias: name,
  checksum: { name: 'sha256', checksum: '0'.repeat(64) },
  config: {
    enabled: true,
    alias: null,
    schema: null,
    database: null,
    tags: [],
    meta: {},
    materialized,
  },
  tags: [],
  description: '',
  columns: Object.fromEntries(
    Object.entries(columns).map(([c, description]) => [c, column(c, description)]),
  ),
  meta: {},
  group: null,
  docs: { show: true, node_color: null },
  patch_path: null,
  build_path: null,
  unrendered_config: { materialized },
  created_at: 1763626443.2,
  relation_name: `"analytics"."dbt_prod"."${name}"`,
  raw_code: '-- see compiled_code',
  language: 'sql',
  refs: [],
  sources: [],
  metrics: [],
  depends_on: { macros: [], nodes: dependsOn },
  compiled_path: `target/compiled/jaffle_shop/models/${name}.sql`,
  compiled: true,
  compiled_code: compiled,
  extra_ctes_injected: true,
  extra_ctes: [],
  contract: { enforced: false, alias_types: true, checksum: null },
  access: 'protected',
  constraints: [],
  version: null,
  latest_version: null,
  deprecation_date: null,
});

export const jaffleShopManifest = {
  metadata,
  nodes: {
    'model.jaffle_shop.stg_customers': model(
      'stg_customers',
      'view',
      ['source.jaffle_shop.jaffle_shop.customers'],
      { customer_id: 'Primary key', first_name: '', last_name: '', email: '' },
      `with source as (
    select * from "analytics"."raw"."customers"
),
renamed as (
    select id as customer_id, first_name, last_name, email from source
)
select * from renamed`,
    ),
    'model.jaffle_shop.stg_orders': model(
      'stg_orders',
      'view',
      ['source.jaffle_shop.jaffle_shop.orders'],
      { order_id: '', customer_id: '', order_date: '', status: '' },
      `select id as order_id, user_id as customer_id, order_date, status
from "analytics"."raw"."orders"`,
    ),
    'model.jaffle_shop.customers': model(
      'customers',
      'table',
      ['model.jaffle_shop.stg_customers', 'model.jaffle_shop.stg_orders'],
      {
        customer_id: 'One row per customer',
        first_name: '',
        email: '',
        number_of_orders: 'Orders placed',
      },
      `with customers as (
    select * from "analytics"."dbt_prod"."stg_customers"
),
orders as (
    select * from "analytics"."dbt_prod"."stg_orders"
),
customer_orders as (
    select customer_id, count(order_id) as number_of_orders from orders group by customer_id
)
select customers.customer_id, customers.first_name, customers.email,
       coalesce(customer_orders.number_of_orders, 0) as number_of_orders
from customers
left join customer_orders on customers.customer_id = customer_orders.customer_id`,
    ),
    'test.jaffle_shop.unique_customers_customer_id.c5af1ff4b1': {
      database: 'analytics',
      schema: 'dbt_prod_dbt_test__audit',
      name: 'unique_customers_customer_id',
      resource_type: 'test',
      unique_id: 'test.jaffle_shop.unique_customers_customer_id.c5af1ff4b1',
      alias: 'unique_customers_customer_id',
      columns: {},
      config: { materialized: 'test' },
      depends_on: { macros: ['macro.dbt.test_unique'], nodes: ['model.jaffle_shop.customers'] },
      compiled_code:
        'select customer_id from "analytics"."dbt_prod"."customers" group by 1 having count(*) > 1',
    },
  },
  sources: {
    'source.jaffle_shop.jaffle_shop.customers': source('customers', [
      'id',
      'first_name',
      'last_name',
      'email',
    ]),
    'source.jaffle_shop.jaffle_shop.orders': source('orders', [
      'id',
      'user_id',
      'order_date',
      'status',
    ]),
  },
  macros: {
    'macro.dbt.test_unique': {
      name: 'test_unique',
      resource_type: 'macro',
      unique_id: 'macro.dbt.test_unique',
    },
  },
  docs: {},
  exposures: {},
  metrics: {},
  groups: {},
  selectors: {},
  disabled: {},
  parent_map: {},
  child_map: {},
  group_map: {},
  saved_queries: {},
  semantic_models: {},
  unit_tests: {},
};
