import type { ClassifierCategory, SensitivityLevel } from '@racine/plugin-classifications-common';
import type { Knex } from 'knex';
import { CLASSIFIER_SETTINGS_TABLE, SETTINGS_TABLE } from './migrations';

/** A steward's overrides of one built-in classifier; null fields keep the default. */
export interface ClassifierSetting {
  classifierId: string;
  enabled: boolean | null;
  threshold: number | null;
  sensitivity: SensitivityLevel | null;
  categories: ClassifierCategory[] | null;
  updatedAt: string;
  updatedBy: string;
}

export interface StoredSetting<T> {
  value: T;
  updatedAt: string;
  updatedBy: string;
}

/** Overrides of the built-in classifiers and the plugin's settings (key → JSON value). */
export interface SettingsStore {
  listClassifierSettings(): Promise<ClassifierSetting[]>;
  getClassifierSetting(classifierId: string): Promise<ClassifierSetting | undefined>;
  /** Upserts; a setting whose fields are all null is removed (back to defaults). */
  putClassifierSetting(setting: ClassifierSetting): Promise<void>;
  getSetting<T>(key: string): Promise<StoredSetting<T> | undefined>;
  putSetting<T>(key: string, value: T, actor: string): Promise<StoredSetting<T>>;
}

type ClassifierSettingRow = {
  classifier_id: string;
  enabled: boolean | number | null;
  threshold: number | string | null;
  sensitivity: string | null;
  categories: string | null;
  updated_at: string;
  updated_by: string;
};

function toSetting(row: ClassifierSettingRow): ClassifierSetting {
  return {
    classifierId: row.classifier_id,
    enabled: row.enabled === null ? null : Boolean(row.enabled),
    threshold: row.threshold === null ? null : Number(row.threshold),
    sensitivity: row.sensitivity as SensitivityLevel | null,
    categories:
      row.categories === null ? null : (JSON.parse(row.categories) as ClassifierCategory[]),
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

export class KnexSettingsStore implements SettingsStore {
  constructor(private readonly knex: Knex) {}

  async listClassifierSettings(): Promise<ClassifierSetting[]> {
    const rows = (await this.knex(CLASSIFIER_SETTINGS_TABLE).orderBy(
      'classifier_id',
    )) as ClassifierSettingRow[];
    return rows.map(toSetting);
  }

  async getClassifierSetting(classifierId: string): Promise<ClassifierSetting | undefined> {
    const row = (await this.knex(CLASSIFIER_SETTINGS_TABLE)
      .where({ classifier_id: classifierId })
      .first()) as ClassifierSettingRow | undefined;
    return row ? toSetting(row) : undefined;
  }

  async putClassifierSetting(setting: ClassifierSetting): Promise<void> {
    const empty =
      setting.enabled === null &&
      setting.threshold === null &&
      setting.sensitivity === null &&
      setting.categories === null;
    if (empty) {
      await this.knex(CLASSIFIER_SETTINGS_TABLE)
        .where({ classifier_id: setting.classifierId })
        .delete();
      return;
    }
    await this.knex(CLASSIFIER_SETTINGS_TABLE)
      .insert({
        classifier_id: setting.classifierId,
        enabled: setting.enabled,
        threshold: setting.threshold,
        sensitivity: setting.sensitivity,
        categories: setting.categories === null ? null : JSON.stringify(setting.categories),
        updated_at: setting.updatedAt,
        updated_by: setting.updatedBy,
      })
      .onConflict('classifier_id')
      .merge();
  }

  async getSetting<T>(key: string): Promise<StoredSetting<T> | undefined> {
    const row = (await this.knex(SETTINGS_TABLE).where({ key }).first()) as
      { value: string; updated_at: string; updated_by: string } | undefined;
    return row
      ? { value: JSON.parse(row.value) as T, updatedAt: row.updated_at, updatedBy: row.updated_by }
      : undefined;
  }

  async putSetting<T>(key: string, value: T, actor: string): Promise<StoredSetting<T>> {
    const updatedAt = new Date().toISOString();
    await this.knex(SETTINGS_TABLE)
      .insert({ key, value: JSON.stringify(value), updated_at: updatedAt, updated_by: actor })
      .onConflict('key')
      .merge();
    return { value, updatedAt, updatedBy: actor };
  }
}
