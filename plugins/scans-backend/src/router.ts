import type {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { Permission } from '@backstage/plugin-permission-common';
import { actorOf, isGranted, parseInput, type AuditService } from '@racine/kernel-node';
import {
  createScanScheduleRequestSchema,
  listScanLogsQuerySchema,
  listScanRunsQuerySchema,
  listScanRunTablesQuerySchema,
  listScanSchedulesQuerySchema,
  scanLogicCreatePermission,
  scanLogicEditPermission,
  scanLogicExecutePermission,
  scanLogicViewPermission,
  scanRunRef,
  scanScheduleRef,
  startScanRunRequestSchema,
  terminalScanRunStatuses,
  updateScanScheduleRequestSchema,
  type ScanRunEvent,
  type ScanRunTable,
} from '@racine/plugin-scans-common';
import express from 'express';
import Router from 'express-promise-router';
import type { ScanStore } from './database/ScanStore';
import type { ScanService } from './services/ScanService';
import type { ScheduleService } from './services/ScheduleService';
import { errorText } from './services/errors';

export interface ScansRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  audit: AuditService;
  logger: LoggerService;
  scans: ScanService;
  schedules: ScheduleService;
  store: ScanStore;
  /** How often an SSE stream looks at the run row (any replica can serve it). */
  eventsPollMs?: number;
}

const HEARTBEAT_MS = 15_000;
const MAX_TABLES_PER_EVENT = 500;

/** HTTP only: parse, authorize, call a service. Served at /api/scans. */
export function createScansRouter(options: ScansRouterOptions): express.Router {
  const { httpAuth, permissions, audit, scans, schedules, store, logger } = options;
  const pollMs = options.eventsPollMs ?? 500;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  const credentialsOf = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const callerOf = (credentials: BackstageCredentials) => ({
    credentials,
    actor: actorOf(credentials),
  });

  async function require(credentials: BackstageCredentials, permission: Permission) {
    if (!(await isGranted(permissions, credentials, permission))) {
      throw new NotAllowedError(`Missing permission ${permission.name}`);
    }
  }

  /** Authorizes a mutation; a denial is audited before the 403. */
  async function requireForMutation(
    credentials: BackstageCredentials,
    permission: Permission,
    verb: string,
    resource: string,
  ) {
    if (!(await isGranted(permissions, credentials, permission))) {
      await audit.record({
        credentials,
        verb,
        resource,
        outcome: 'denied',
        summary: `${verb} denied: missing ${permission.name}`,
      });
      throw new NotAllowedError(`Missing permission ${permission.name}`);
    }
  }

  // ------------------------------------------------------------------ runs

  router.post('/runs', async (req, res) => {
    const credentials = await credentialsOf(req);
    await requireForMutation(
      credentials,
      scanLogicExecutePermission,
      'scan.run',
      'racine:scans:run/new',
    );
    const body = parseInput(startScanRunRequestSchema, req.body, 'body');
    const run = await scans.startRun(body, callerOf(credentials), { trigger: 'manual' });
    res.status(202).json(run);
  });

  router.get('/runs', async (req, res) => {
    const credentials = await credentialsOf(req);
    await require(credentials, scanLogicViewPermission);
    res.json(await scans.listRuns(parseInput(listScanRunsQuerySchema, req.query, 'query')));
  });

  router.get('/runs/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    await require(credentials, scanLogicViewPermission);
    res.json(await scans.getRun(req.params.id));
  });

  router.get('/runs/:id/tables', async (req, res) => {
    const credentials = await credentialsOf(req);
    await require(credentials, scanLogicViewPermission);
    const query = parseInput(listScanRunTablesQuerySchema, req.query, 'query');
    res.json(await scans.listTables(req.params.id, query));
  });

  router.get('/runs/:id/logs', async (req, res) => {
    const credentials = await credentialsOf(req);
    await require(credentials, scanLogicViewPermission);
    const query = parseInput(listScanLogsQuerySchema, req.query, 'query');
    res.json(await scans.listLogs(req.params.id, query));
  });

  router.post('/runs/:id/cancel', async (req, res) => {
    const credentials = await credentialsOf(req);
    await requireForMutation(
      credentials,
      scanLogicExecutePermission,
      'scan.cancel',
      scanRunRef(req.params.id),
    );
    res.json(await scans.cancelRun(req.params.id, callerOf(credentials)));
  });

  /**
   * Live progress as Server-Sent Events: `progress` events carrying the run and the tables that
   * changed, then `end` once the run ended. It polls the run row, so any replica can serve it.
   */
  router.get('/runs/:id/events', async (req, res) => {
    const credentials = await credentialsOf(req);
    await require(credentials, scanLogicViewPermission);
    const runId = req.params.id;
    await scans.getRun(runId); // 404 before the stream starts

    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    // no-transform keeps the compression middleware from buffering the stream.
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();

    let closed = false;
    req.on('close', () => {
      closed = true;
    });
    const write = (text: string) => {
      if (closed) return;
      res.write(text);
      (res as unknown as { flush?: () => void }).flush?.();
    };
    const sent = new Map<string, string>();
    let since = '';
    let lastRunJson = '';
    let lastWrite = Date.now();

    const emit = async (): Promise<boolean> => {
      const run = await scans.getRun(runId);
      const checkedAt = new Date(Date.now() - 2000).toISOString();
      const rows = await store.listTablesUpdatedSince(runId, since, MAX_TABLES_PER_EVENT);
      const changed = rows.filter(row => {
        const signature = `${row.status}|${row.attempts}|${row.durationMs}|${row.error ?? ''}`;
        if (sent.get(row.tableRef) === signature) return false;
        sent.set(row.tableRef, signature);
        return true;
      });
      // Rows written within the last 2 s may still be committing; look at them again next time.
      if (rows.length < MAX_TABLES_PER_EVENT) since = checkedAt;
      else since = rows[rows.length - 1]!.updatedAt;
      const tables: ScanRunTable[] = changed.length > 0 ? await scans.withLogs(runId, changed) : [];
      const runJson = JSON.stringify(run);
      if (runJson !== lastRunJson || tables.length > 0) {
        lastRunJson = runJson;
        const event: ScanRunEvent = { run, tables };
        write(`event: progress\ndata: ${JSON.stringify(event)}\n\n`);
        lastWrite = Date.now();
      } else if (Date.now() - lastWrite >= HEARTBEAT_MS) {
        write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
      if (terminalScanRunStatuses.includes(run.status) && rows.length < MAX_TABLES_PER_EVENT) {
        write(`event: end\ndata: ${JSON.stringify({ status: run.status })}\n\n`);
        return true;
      }
      return false;
    };

    write(`retry: 2000\n\n`);
    void (async () => {
      try {
        while (!closed) {
          if (await emit()) break;
          await new Promise(resolve => setTimeout(resolve, pollMs));
        }
      } catch (error) {
        if (error instanceof NotFoundError) {
          write(`event: end\ndata: ${JSON.stringify({ status: 'deleted' })}\n\n`);
        } else {
          logger.warn(`Scan events stream of run ${runId} failed: ${errorText(error)}`);
        }
      } finally {
        if (!closed) res.end();
      }
    })();
  });

  // ------------------------------------------------------------------ schedules

  router.get('/schedules', async (req, res) => {
    const credentials = await credentialsOf(req);
    await require(credentials, scanLogicViewPermission);
    const query = parseInput(listScanSchedulesQuerySchema, req.query, 'query');
    res.json({ items: await schedules.list(query) });
  });

  router.get('/schedules/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    await require(credentials, scanLogicViewPermission);
    res.json(await schedules.get(req.params.id));
  });

  router.post('/schedules', async (req, res) => {
    const credentials = await credentialsOf(req);
    await requireForMutation(
      credentials,
      scanLogicCreatePermission,
      'scan.schedule.create',
      'racine:scans:schedule/new',
    );
    const body = parseInput(createScanScheduleRequestSchema, req.body, 'schedule');
    res.status(201).json(await schedules.create(body, callerOf(credentials)));
  });

  router.put('/schedules/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    await requireForMutation(
      credentials,
      scanLogicEditPermission,
      'scan.schedule.update',
      scanScheduleRef(req.params.id),
    );
    const body = parseInput(updateScanScheduleRequestSchema, req.body, 'schedule');
    res.json(await schedules.update(req.params.id, body, callerOf(credentials)));
  });

  router.delete('/schedules/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    await requireForMutation(
      credentials,
      scanLogicEditPermission,
      'scan.schedule.delete',
      scanScheduleRef(req.params.id),
    );
    await schedules.delete(req.params.id, callerOf(credentials));
    res.status(204).end();
  });

  router.use((_req, _res, next) => next(new NotFoundError('No such scans route')));
  return router;
}
