import type { Knex } from 'knex';
import { migrateFromCode, type CodeMigration } from '@racine/kernel-node';

/**
 * The rbac plugin's schema, as knex migrations kept in code. Append new migrations; never
 * edit one that has shipped. Times are ISO-8601 UTC strings (they compare in time order on
 * both engines).
 */
const migrations: CodeMigration[] = [
  {
    name: '20261201_001_rbac',
    async up(knex) {
      // Policy: roles, their permission lines, grants, groups; one version row for replicas.
      await knex.schema.createTable('rbac_roles', t => {
        t.string('name', 64).primary();
        t.text('description').notNullable().defaultTo('');
        t.boolean('builtin').notNullable().defaultTo(false);
        t.string('created_at', 32).notNullable();
        t.string('updated_at', 32).notNullable();
      });
      await knex.schema.createTable('rbac_role_permissions', t => {
        t.increments('id').primary();
        t.string('role', 64)
          .notNullable()
          .references('name')
          .inTable('rbac_roles')
          .onDelete('CASCADE');
        t.string('permission', 255).notNullable();
        t.string('resource', 1024).notNullable().defaultTo('*');
        t.string('effect', 8).notNullable().defaultTo('allow');
        t.text('condition');
        t.index(['role']);
      });
      await knex.schema.createTable('rbac_role_parents', t => {
        t.string('role', 64)
          .notNullable()
          .references('name')
          .inTable('rbac_roles')
          .onDelete('CASCADE');
        t.string('parent', 64).notNullable();
        t.primary(['role', 'parent']);
      });
      // Defaults already seeded (role|permission), so an admin's removal is not undone.
      await knex.schema.createTable('rbac_seeds', t => {
        t.string('key', 400).primary();
      });
      await knex.schema.createTable('rbac_grants', t => {
        t.string('id', 36).primary();
        t.string('subject', 255).notNullable().index();
        t.string('role', 64);
        t.string('permission', 255);
        t.string('workspace', 64).notNullable().defaultTo('*');
        t.string('resource', 1024).notNullable().defaultTo('*');
        t.string('effect', 8).notNullable().defaultTo('allow');
        t.string('not_before', 32);
        t.string('expires_at', 32);
        t.text('reason');
        t.string('source', 32).notNullable().defaultTo('admin');
        t.string('created_by', 255).notNullable();
        t.string('created_at', 32).notNullable();
        t.index(['workspace']);
      });
      await knex.schema.createTable('rbac_groups', t => {
        t.string('name', 64).primary();
        t.string('title', 255).notNullable();
        t.text('description').notNullable().defaultTo('');
        t.string('created_at', 32).notNullable();
      });
      await knex.schema.createTable('rbac_group_members', t => {
        t.string('group_name', 64)
          .notNullable()
          .references('name')
          .inTable('rbac_groups')
          .onDelete('CASCADE');
        t.string('member', 255).notNullable();
        t.primary(['group_name', 'member']);
        t.index(['member']);
      });
      await knex.schema.createTable('rbac_policy_version', t => {
        t.integer('id').primary();
        t.bigInteger('version').notNullable();
        t.string('updated_at', 32).notNullable();
      });
      await knex('rbac_policy_version').insert({
        id: 1,
        version: 1,
        updated_at: new Date().toISOString(),
      });

      // Identity: native accounts, browser sessions, recovery codes, API keys.
      await knex.schema.createTable('rbac_users', t => {
        t.string('username', 64).primary();
        t.string('display_name', 255).notNullable();
        t.string('email', 320);
        t.string('password_hash', 512);
        t.boolean('disabled').notNullable().defaultTo(false);
        t.integer('failed_attempts').notNullable().defaultTo(0);
        t.string('locked_until', 32);
        t.text('totp_secret');
        t.boolean('totp_enabled').notNullable().defaultTo(false);
        t.bigInteger('totp_last_step').notNullable().defaultTo(0);
        t.string('oidc_subject', 512).unique();
        t.string('created_at', 32).notNullable();
        t.string('updated_at', 32).notNullable();
        t.string('last_sign_in_at', 32);
      });
      await knex.schema.createTable('rbac_recovery_codes', t => {
        t.increments('id').primary();
        t.string('username', 64)
          .notNullable()
          .references('username')
          .inTable('rbac_users')
          .onDelete('CASCADE');
        t.string('code_hash', 64).notNullable();
        t.string('used_at', 32);
        t.index(['username']);
      });
      await knex.schema.createTable('rbac_sessions', t => {
        t.string('token_hash', 64).primary();
        t.string('username', 64)
          .notNullable()
          .references('username')
          .inTable('rbac_users')
          .onDelete('CASCADE');
        t.string('created_at', 32).notNullable();
        t.string('expires_at', 32).notNullable();
        t.index(['username']);
      });
      await knex.schema.createTable('rbac_api_keys', t => {
        t.string('id', 36).primary();
        t.string('owner', 255).notNullable().index();
        t.string('name', 255).notNullable();
        t.string('prefix', 16).notNullable();
        t.string('secret_hash', 64).notNullable().unique();
        t.text('scopes').notNullable();
        t.string('created_at', 32).notNullable();
        t.string('expires_at', 32);
        t.string('revoked_at', 32);
        t.string('last_used_at', 32);
      });

      // Access requests and in-app notifications.
      await knex.schema.createTable('rbac_access_requests', t => {
        t.string('id', 36).primary();
        t.string('requester', 255).notNullable().index();
        t.string('workspace', 64).notNullable();
        t.string('role', 64);
        t.string('permission', 255);
        t.string('resource', 1024).notNullable().defaultTo('*');
        t.text('reason').notNullable();
        t.integer('duration_hours').notNullable();
        t.string('status', 16).notNullable().index();
        t.string('decided_by', 255);
        t.text('decision_comment');
        t.string('decided_at', 32);
        t.string('grant_id', 36);
        t.string('created_at', 32).notNullable();
      });
      await knex.schema.createTable('rbac_notifications', t => {
        t.string('id', 36).primary();
        t.string('recipient', 255).notNullable();
        t.string('title', 255).notNullable();
        t.text('body').notNullable();
        t.string('link', 1024);
        t.string('created_at', 32).notNullable();
        t.string('read_at', 32);
        t.index(['recipient', 'created_at']);
      });
    },
    async down(knex) {
      for (const table of [
        'rbac_notifications',
        'rbac_access_requests',
        'rbac_api_keys',
        'rbac_sessions',
        'rbac_recovery_codes',
        'rbac_users',
        'rbac_policy_version',
        'rbac_group_members',
        'rbac_groups',
        'rbac_grants',
        'rbac_seeds',
        'rbac_role_parents',
        'rbac_role_permissions',
        'rbac_roles',
      ]) {
        await knex.schema.dropTableIfExists(table);
      }
    },
  },
];

export async function migrateRbacDatabase(knex: Knex): Promise<void> {
  await migrateFromCode(knex, 'rbac_knex_migrations', migrations);
}
