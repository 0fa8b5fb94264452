import type { RunIf, TaskResult } from '@racine/plugin-pipelines-common';
import { describe, expect, it } from 'vitest';
import {
  advance,
  ConditionError,
  edgeState,
  evaluateCondition,
  evaluateRunIf,
  forEachOutcome,
  leafKeys,
  nextIterations,
  repairPlan,
  RepairPlanError,
  retryDecision,
  runOutcome,
  type EdgeState,
  type GraphTask,
  type TaskStatus,
} from './semantics';

const S: EdgeState = 'success';
const F: EdgeState = 'failed';
const C: EdgeState = 'canceled';
const E: EdgeState = 'excluded';
const RUN = 'run';

describe('runIf × dependency outcomes', () => {
  // [runIf, dependency edge states, expected: 'run' or the result the task ends with]
  const table: [RunIf, EdgeState[], typeof RUN | TaskResult][] = [
    ['ALL_SUCCESS', [], RUN],
    ['ALL_SUCCESS', [S], RUN],
    ['ALL_SUCCESS', [S, S], RUN],
    ['ALL_SUCCESS', [S, E], RUN],
    ['ALL_SUCCESS', [F], 'UPSTREAM_FAILED'],
    ['ALL_SUCCESS', [S, F], 'UPSTREAM_FAILED'],
    ['ALL_SUCCESS', [C], 'UPSTREAM_CANCELED'],
    ['ALL_SUCCESS', [S, C], 'UPSTREAM_CANCELED'],
    ['ALL_SUCCESS', [F, C], 'UPSTREAM_FAILED'],
    ['ALL_SUCCESS', [E], 'EXCLUDED'],
    ['ALL_SUCCESS', [E, E], 'EXCLUDED'],
    ['AT_LEAST_ONE_SUCCESS', [S], RUN],
    ['AT_LEAST_ONE_SUCCESS', [S, F], RUN],
    ['AT_LEAST_ONE_SUCCESS', [S, C], RUN],
    ['AT_LEAST_ONE_SUCCESS', [F, F], 'UPSTREAM_FAILED'],
    ['AT_LEAST_ONE_SUCCESS', [F, E], 'UPSTREAM_FAILED'],
    ['AT_LEAST_ONE_SUCCESS', [C, C], 'UPSTREAM_CANCELED'],
    ['AT_LEAST_ONE_SUCCESS', [F, C], 'UPSTREAM_FAILED'],
    ['AT_LEAST_ONE_SUCCESS', [E, E], 'EXCLUDED'],
    ['NONE_FAILED', [S], RUN],
    ['NONE_FAILED', [S, E], RUN],
    ['NONE_FAILED', [S, F], 'UPSTREAM_FAILED'],
    ['NONE_FAILED', [F], 'UPSTREAM_FAILED'],
    ['NONE_FAILED', [S, C], 'UPSTREAM_CANCELED'],
    ['NONE_FAILED', [E, E], 'EXCLUDED'],
    ['ALL_DONE', [S], RUN],
    ['ALL_DONE', [F], RUN],
    ['ALL_DONE', [C], RUN],
    ['ALL_DONE', [S, F, C], RUN],
    ['ALL_DONE', [S, E], RUN],
    ['ALL_DONE', [E], 'EXCLUDED'],
    ['AT_LEAST_ONE_FAILED', [F], RUN],
    ['AT_LEAST_ONE_FAILED', [S, F], RUN],
    ['AT_LEAST_ONE_FAILED', [C], RUN],
    ['AT_LEAST_ONE_FAILED', [S], 'EXCLUDED'],
    ['AT_LEAST_ONE_FAILED', [S, S], 'EXCLUDED'],
    ['AT_LEAST_ONE_FAILED', [S, E], 'EXCLUDED'],
    ['AT_LEAST_ONE_FAILED', [E], 'EXCLUDED'],
    ['ALL_FAILED', [F], RUN],
    ['ALL_FAILED', [F, F], RUN],
    ['ALL_FAILED', [F, C], RUN],
    ['ALL_FAILED', [F, E], RUN],
    ['ALL_FAILED', [S, F], 'EXCLUDED'],
    ['ALL_FAILED', [S], 'EXCLUDED'],
    ['ALL_FAILED', [E, E], 'EXCLUDED'],
  ];
  it.each(table)('%s with %j → %s', (runIf, edges, expected) => {
    const decision = evaluateRunIf(runIf, edges);
    expect(decision.run ? RUN : decision.result).toBe(expected);
  });
});

describe('dependency edge states', () => {
  const done = (result: TaskResult, outcome: string | null = null): TaskStatus => ({
    state: 'TERMINATED',
    result,
    outcome,
  });
  const table: [TaskResult, string | null, string | undefined, EdgeState][] = [
    ['SUCCESS', null, undefined, S],
    ['SUCCESS', 'true', 'true', S],
    ['SUCCESS', 'false', 'true', E],
    ['SUCCESS', 'true', 'false', E],
    ['EXCLUDED', null, undefined, E],
    ['EXCLUDED', null, 'true', E],
    ['FAILED', null, undefined, F],
    ['FAILED', null, 'true', F],
    ['TIMEDOUT', null, undefined, F],
    ['UPSTREAM_FAILED', null, undefined, F],
    ['CANCELED', null, undefined, C],
    ['UPSTREAM_CANCELED', null, undefined, C],
    ['SKIPPED', null, undefined, E],
  ];
  it.each(table)('%s (outcome %s, wanted %s) counts as %s', (result, outcome, wanted, edge) => {
    expect(edgeState(done(result, outcome), wanted)).toBe(edge);
  });
});

describe('condition operators', () => {
  const table: [unknown, Parameters<typeof evaluateCondition>[1], unknown, boolean][] = [
    ['a', 'EQUAL_TO', 'a', true],
    ['a', 'EQUAL_TO', 'b', false],
    ['12.0', 'EQUAL_TO', '12', false],
    [12, 'EQUAL_TO', '12', true],
    [true, 'EQUAL_TO', 'true', true],
    ['a', 'NOT_EQUAL', 'b', true],
    ['12.0', 'NOT_EQUAL', 12, true],
    ['12.0', 'GREATER_THAN_OR_EQUAL', '12', true],
    ['10.0', 'GREATER_THAN_OR_EQUAL', '12', false],
    ['13', 'GREATER_THAN', 12, true],
    [12, 'GREATER_THAN', 12, false],
    ['9', 'GREATER_THAN', '10', false],
    ['9', 'LESS_THAN', '10', true],
    [' 2 ', 'LESS_THAN', 3, true],
    ['10', 'LESS_THAN_OR_EQUAL', '10.0', true],
    ['-1', 'LESS_THAN_OR_EQUAL', '-2', false],
  ];
  it.each(table)('%j %s %j → %s', (left, op, right, expected) => {
    expect(evaluateCondition(left, op, right)).toBe(expected);
  });

  it.each([
    ['abc', 'GREATER_THAN', 1, /left operand 'abc' is not a number/],
    [1, 'LESS_THAN', '', /right operand '' is not a number/],
    [{ a: 1 }, 'EQUAL_TO', 1, /left operand must be a string, number or boolean/],
    [1, 'EQUAL_TO', null, /right operand must be/],
  ] as const)('%j %s %j fails: %s', (left, op, right, message) => {
    expect(() => evaluateCondition(left, op, right)).toThrow(ConditionError);
    expect(() => evaluateCondition(left, op, right)).toThrow(message);
  });
});

/**
 * A tiny in-memory executor over `advance`: each task ends as its behaviour says (a result,
 * and for conditions an outcome), in dependency order, optionally cancelling the run after
 * some tasks. Returns every task's final result.
 */
type Behaviour = TaskResult | { outcome: 'true' | 'false' };
function simulate(
  tasks: GraphTask[],
  behaviours: Record<string, Behaviour> = {},
  options: { cancelAfter?: string[] } = {},
) {
  const statuses = new Map<string, TaskStatus>(
    tasks.map(t => [t.key, { state: 'BLOCKED', result: null, outcome: null }]),
  );
  const started: string[] = [];
  let canceling = false;
  const apply = () => {
    const step = advance(tasks, statuses, { canceling });
    for (const r of step.resolved) {
      statuses.set(r.key, { state: 'TERMINATED', result: r.result, outcome: null });
    }
    for (const k of step.start) statuses.set(k, { state: 'RUNNING', result: null, outcome: null });
    return step.start;
  };
  let ready = apply();
  while (ready.length) {
    const key = ready.shift()!;
    if (statuses.get(key)!.state !== 'RUNNING') continue;
    started.push(key);
    const behaviour = behaviours[key] ?? 'SUCCESS';
    statuses.set(
      key,
      typeof behaviour === 'string'
        ? { state: 'TERMINATED', result: behaviour, outcome: null }
        : { state: 'TERMINATED', result: 'SUCCESS', outcome: behaviour.outcome },
    );
    if (options.cancelAfter?.includes(key) && !canceling) {
      canceling = true;
      // Everything started but not finished is cancelled at once.
      for (const [k, s] of statuses) {
        if (s.state === 'RUNNING' || s.state === 'PENDING') {
          statuses.set(k, { state: 'TERMINATED', result: 'CANCELED', outcome: null });
        }
      }
      ready = ready.filter(k => statuses.get(k)!.state === 'RUNNING');
    }
    ready.push(...apply());
  }
  const results = Object.fromEntries([...statuses].map(([k, s]) => [k, s.result]));
  return { results, started, statuses, canceled: canceling };
}

const task = (
  key: string,
  deps: (string | [string, 'true' | 'false'])[] = [],
  runIf: RunIf = 'ALL_SUCCESS',
): GraphTask => ({
  key,
  runIf,
  dependsOn: deps.map(d => (Array.isArray(d) ? { task: d[0], outcome: d[1] } : { task: d })),
});

describe('exclusion and failure propagation', () => {
  it('takes one branch of a condition and excludes the other, transitively', () => {
    const tasks = [
      task('check'),
      task('yes', [['check', 'true']]),
      task('yesAfter', ['yes']),
      task('no', [['check', 'false']]),
      task('noAfter', ['no']),
    ];
    const { results } = simulate(tasks, { check: { outcome: 'true' } });
    expect(results).toEqual({
      check: 'SUCCESS',
      yes: 'SUCCESS',
      yesAfter: 'SUCCESS',
      no: 'EXCLUDED',
      noAfter: 'EXCLUDED',
    });
  });

  it('joins branches: an ALL_SUCCESS join runs when the taken branch succeeded', () => {
    const tasks = [
      task('check'),
      task('yes', [['check', 'true']]),
      task('no', [['check', 'false']]),
      task('join', ['yes', 'no']),
    ];
    expect(simulate(tasks, { check: { outcome: 'false' } }).results.join).toBe('SUCCESS');
    expect(simulate(tasks, { check: { outcome: 'false' }, no: 'FAILED' }).results.join).toBe(
      'UPSTREAM_FAILED',
    );
  });

  it('excludes an unneeded failure handler, and its dependents', () => {
    const tasks = [
      task('load'),
      task('onFailure', ['load'], 'AT_LEAST_ONE_FAILED'),
      task('afterHandler', ['onFailure']),
      task('publish', ['load']),
    ];
    const ok = simulate(tasks);
    expect(ok.results).toEqual({
      load: 'SUCCESS',
      onFailure: 'EXCLUDED',
      afterHandler: 'EXCLUDED',
      publish: 'SUCCESS',
    });
    const failed = simulate(tasks, { load: 'FAILED' });
    expect(failed.results).toEqual({
      load: 'FAILED',
      onFailure: 'SUCCESS',
      afterHandler: 'SUCCESS',
      publish: 'UPSTREAM_FAILED',
    });
  });

  it('propagates UPSTREAM_FAILED down a chain, and ALL_DONE still runs at the end', () => {
    const tasks = [
      task('a'),
      task('b', ['a']),
      task('c', ['b']),
      task('cleanup', ['c'], 'ALL_DONE'),
    ];
    const { results, started } = simulate(tasks, { a: 'TIMEDOUT' });
    expect(results).toEqual({
      a: 'TIMEDOUT',
      b: 'UPSTREAM_FAILED',
      c: 'UPSTREAM_FAILED',
      cleanup: 'SUCCESS',
    });
    expect(started).toEqual(['a', 'cleanup']);
  });

  it('runs NONE_FAILED after an excluded branch but not after a failure', () => {
    const tasks = [
      task('check'),
      task('yes', [['check', 'true']]),
      task('other'),
      task('report', ['yes', 'other'], 'NONE_FAILED'),
    ];
    expect(simulate(tasks, { check: { outcome: 'false' } }).results.report).toBe('SUCCESS');
    expect(simulate(tasks, { other: 'FAILED' }).results.report).toBe('UPSTREAM_FAILED');
  });
});

describe('cancellation cascades', () => {
  const tasks = [
    task('extract'),
    task('slow'),
    task('transform', ['extract', 'slow']),
    task('load', ['transform']),
    task('cleanup', ['transform'], 'ALL_DONE'),
    task('alert', ['transform'], 'AT_LEAST_ONE_FAILED'),
    task('afterCleanup', ['cleanup']),
  ];

  it('cancels downstream as UPSTREAM_CANCELED while failure-handling tasks still run', () => {
    const { results, started } = simulate(tasks, {}, { cancelAfter: ['extract'] });
    expect(results).toEqual({
      extract: 'SUCCESS',
      slow: 'CANCELED',
      transform: 'UPSTREAM_CANCELED',
      load: 'UPSTREAM_CANCELED',
      cleanup: 'SUCCESS',
      alert: 'SUCCESS',
      // Not failure-handling: once the run is being cancelled it does not start.
      afterCleanup: 'CANCELED',
    });
    expect(started).toContain('cleanup');
    expect(started).toContain('alert');
    expect(started).not.toContain('afterCleanup');
  });

  it('ends a cancelled run CANCELED whatever its leaves did', () => {
    const run = simulate(tasks, {}, { cancelAfter: ['extract'] });
    expect(runOutcome(tasks, run.statuses, { canceled: true })).toBe('CANCELED');
    expect(runOutcome(tasks, run.statuses, { canceled: true, timedOut: true })).toBe('TIMEDOUT');
  });
});

describe('leaf-based run results', () => {
  const tasks = [
    task('a'),
    task('b', ['a']),
    task('handler', ['a'], 'AT_LEAST_ONE_FAILED'),
    task('c', ['b'], 'ALL_DONE'),
  ];
  it('finds the leaves', () => {
    expect(leafKeys(tasks).sort()).toEqual(['c', 'handler']);
  });

  const table: [string, Record<string, Behaviour>, string][] = [
    ['every task succeeds (an excluded handler counts as success)', {}, 'SUCCESS'],
    ['a non-leaf fails but every leaf succeeds', { b: 'FAILED' }, 'SUCCESS_WITH_FAILURES'],
    ['a leaf fails', { c: 'FAILED' }, 'FAILED'],
    ['the root fails: its handler and ALL_DONE leaf run', { a: 'FAILED' }, 'SUCCESS_WITH_FAILURES'],
    ['the root fails and the handler fails too', { a: 'FAILED', handler: 'FAILED' }, 'FAILED'],
  ];
  it.each(table)('%s → %s', (_name, behaviours, expected) => {
    const run = simulate(tasks, behaviours);
    expect(runOutcome(tasks, run.statuses)).toBe(expected);
  });

  it('has no result while a task is still going', () => {
    const statuses = new Map<string, TaskStatus>([
      ['a', { state: 'TERMINATED', result: 'SUCCESS', outcome: null }],
      ['b', { state: 'RUNNING', result: null, outcome: null }],
      ['handler', { state: 'TERMINATED', result: 'EXCLUDED', outcome: null }],
      ['c', { state: 'BLOCKED', result: null, outcome: null }],
    ]);
    expect(runOutcome(tasks, statuses)).toBeNull();
  });
});

describe('retries with intervals, and timeouts', () => {
  const retries = { max: 2, minIntervalMs: 1500, onTimeout: false };
  const table: [string, Parameters<typeof retryDecision>, { retry: boolean; delayMs: number }][] = [
    ['no retry policy', [undefined, 1, 'FAILED'], { retry: false, delayMs: 0 }],
    [
      'max 0',
      [{ max: 0, minIntervalMs: 10, onTimeout: true }, 1, 'FAILED'],
      { retry: false, delayMs: 0 },
    ],
    ['first failure', [retries, 1, 'FAILED'], { retry: true, delayMs: 1500 }],
    ['second failure', [retries, 2, 'FAILED'], { retry: true, delayMs: 1500 }],
    ['third failure: retries exhausted', [retries, 3, 'FAILED'], { retry: false, delayMs: 0 }],
    ['a timeout without onTimeout', [retries, 1, 'TIMEDOUT'], { retry: false, delayMs: 0 }],
    [
      'a timeout with onTimeout',
      [{ ...retries, onTimeout: true }, 1, 'TIMEDOUT'],
      { retry: true, delayMs: 1500 },
    ],
    [
      'a timeout with onTimeout, exhausted',
      [{ ...retries, onTimeout: true }, 3, 'TIMEDOUT'],
      { retry: false, delayMs: 0 },
    ],
  ];
  it.each(table)('%s', (_name, args, expected) => {
    expect(retryDecision(...args)).toEqual(expected);
  });
});

describe('for-each concurrency', () => {
  const it_ = (index: number, state: TaskStatus['state'], result: TaskResult | null = null) => ({
    index,
    state,
    result,
  });
  const table: [string, ReturnType<typeof it_>[], number, number[]][] = [
    ['starts up to the limit', [it_(0, 'QUEUED'), it_(1, 'QUEUED'), it_(2, 'QUEUED')], 2, [0, 1]],
    ['keeps one free slot', [it_(0, 'RUNNING'), it_(1, 'QUEUED'), it_(2, 'QUEUED')], 2, [1]],
    ['a retry holds its slot', [it_(0, 'WAITING_FOR_RETRY'), it_(1, 'QUEUED')], 1, []],
    [
      'a finished iteration frees its slot',
      [it_(0, 'TERMINATED', 'FAILED'), it_(1, 'PENDING'), it_(2, 'QUEUED')],
      2,
      [2],
    ],
    ['in index order', [it_(3, 'QUEUED'), it_(1, 'QUEUED'), it_(2, 'QUEUED')], 2, [1, 2]],
    ['nothing left', [it_(0, 'TERMINATED', 'SUCCESS')], 4, []],
  ];
  it.each(table)('%s', (_name, iterations, concurrency, expected) => {
    expect(nextIterations(iterations, concurrency)).toEqual(expected);
  });

  it('ends SUCCESS when every iteration succeeded, FAILED otherwise', () => {
    expect(forEachOutcome([it_(0, 'TERMINATED', 'SUCCESS'), it_(1, 'RUNNING')])).toBeNull();
    expect(
      forEachOutcome([it_(0, 'TERMINATED', 'SUCCESS'), it_(1, 'TERMINATED', 'SUCCESS')]),
    ).toEqual({
      result: 'SUCCESS',
      succeeded: 2,
      failed: 0,
    });
    expect(
      forEachOutcome([it_(0, 'TERMINATED', 'SUCCESS'), it_(1, 'TERMINATED', 'TIMEDOUT')]),
    ).toEqual({
      result: 'FAILED',
      succeeded: 1,
      failed: 1,
    });
    expect(forEachOutcome([])).toEqual({ result: 'SUCCESS', succeeded: 0, failed: 0 });
  });

  it('never runs more than `concurrency` iterations at once over a whole loop', () => {
    const iterations = Array.from({ length: 7 }, (_, i) => it_(i, 'QUEUED'));
    let peak = 0;
    for (let guard = 0; guard < 50; guard++) {
      for (const i of nextIterations(iterations, 3)) iterations[i].state = 'RUNNING';
      const running = iterations.filter(i => i.state === 'RUNNING');
      peak = Math.max(peak, running.length);
      if (running.length === 0) break;
      running[0].state = 'TERMINATED';
      running[0].result = 'SUCCESS';
    }
    expect(peak).toBe(3);
    expect(forEachOutcome(iterations)?.result).toBe('SUCCESS');
  });
});

describe('repair plans', () => {
  const tasks = [task('a'), task('b', ['a']), task('c', ['b']), task('d'), task('e', ['d'])];
  const statuses = simulate(tasks, { b: 'FAILED' }).statuses;

  it('reruns every failed task and its dependents', () => {
    expect(repairPlan(tasks, statuses, { rerunAllFailed: true })).toEqual(['b', 'c']);
  });

  it('reruns chosen tasks, with or without their dependents', () => {
    expect(repairPlan(tasks, statuses, { rerunTasks: ['a'] })).toEqual(['a']);
    expect(repairPlan(tasks, statuses, { rerunTasks: ['a'], rerunDependents: true })).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(repairPlan(tasks, statuses, { rerunTasks: ['d', 'b'], rerunDependents: true })).toEqual([
      'b',
      'c',
      'd',
      'e',
    ]);
  });

  it('refuses unknown tasks and a run with nothing to repair', () => {
    expect(() => repairPlan(tasks, statuses, { rerunTasks: ['zz'] })).toThrow(RepairPlanError);
    const ok = simulate(tasks).statuses;
    expect(() => repairPlan(tasks, ok, { rerunAllFailed: true })).toThrow(/no failed tasks/);
  });

  it('re-evaluates a repaired run: the failed part runs again from its upstream results', () => {
    const reset = new Map(statuses);
    for (const key of repairPlan(tasks, statuses, { rerunAllFailed: true })) {
      reset.set(key, { state: 'BLOCKED', result: null, outcome: null });
    }
    // a and d keep their results; b is ready at once because a already succeeded.
    expect(advance(tasks, reset)).toEqual({ start: ['b'], resolved: [] });
  });
});
