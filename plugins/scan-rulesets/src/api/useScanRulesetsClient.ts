import { usePluginClient } from '@racine/kernel-react';
import { useMemo } from 'react';
import { ScanRulesetsClient } from './ScanRulesetsClient';

export function useScanRulesetsClient(): ScanRulesetsClient {
  const http = usePluginClient('scan-rulesets');
  const datasources = usePluginClient('datasources');
  return useMemo(() => new ScanRulesetsClient(http, datasources), [http, datasources]);
}
