import { ConfigReader } from '@backstage/config';
import type { ConfigApi } from '@backstage/frontend-plugin-api';

/** Where the backend serves the frontend's share of app-config (no auth needed). */
export const FRONTEND_CONFIG_PATH = '/racine/frontend-config.json';

/**
 * Loads the frontend config from the backend instead of build-time injection, so one
 * build runs against any configuration. Both base URLs are the page's own origin: the
 * backend serves the app and the API from one port, behind whatever host and port.
 */
export async function loadFrontendConfig(): Promise<{ config: ConfigApi }> {
  const response = await fetch(FRONTEND_CONFIG_PATH, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(
      `Could not load ${FRONTEND_CONFIG_PATH}: ${response.status} ${response.statusText}`,
    );
  }
  const data = (await response.json()) as Record<string, unknown>;
  const origin = window.location.origin;
  const section = (key: string): Record<string, unknown> => {
    const value = data[key];
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  };
  const config = {
    ...data,
    app: { title: 'Racine', ...section('app'), baseUrl: origin },
    backend: { ...section('backend'), baseUrl: origin },
  };
  return { config: ConfigReader.fromConfigs([{ context: FRONTEND_CONFIG_PATH, data: config }]) };
}
