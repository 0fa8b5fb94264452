import type { SearchProvider } from '@racine/kernel-node';
import { jobRef, pipelinesViewPermission } from '@racine/plugin-pipelines-common';
import type { JobStore } from '../database/JobStore';

/** Global search over job names in the caller's workspace. */
export function createJobSearchProvider(jobs: JobStore): SearchProvider {
  return {
    id: 'pipelines.jobs',
    types: ['job'],
    permission: pipelinesViewPermission,
    async search({ query, limit, workspace }) {
      if (!query) return [];
      const q = query.toLowerCase();
      const { items } = await jobs.list({ q: query, workspace, limit, offset: 0 });
      return items.map(job => {
        const name = job.name.toLowerCase();
        const { definition } = job;
        return {
          ref: jobRef(job.id),
          type: 'job',
          title: job.name,
          snippet: [
            definition.description,
            `${definition.tasks.length} task(s)`,
            definition.schedule
              ? `cron ${definition.schedule.cron}${definition.schedule.paused ? ' (paused)' : ''}`
              : '',
            ...definition.tags.map(t => `#${t}`),
          ]
            .filter(Boolean)
            .join(' · '),
          score: name === q ? 1 : name.startsWith(q) ? 0.8 : 0.6,
          url: `/jobs/${encodeURIComponent(job.id)}`,
        };
      });
    },
  };
}
