// The where: 'auto' policy (sdk/js/placement.js) alone, on made-up measurements and a fake clock: exploration
// of both places, then the cheaper one (tiny calls here, compute-heavy ones in a faster cluster, large inputs
// here over a slow link, a busy page's calls in the cluster), re-exploration within its budget, and the
// options' validation (client.js) for 'auto'.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { PLACEMENT_DEFAULTS, Placement, sizeClass } from '../../../sdk/js/placement.js';
import { connectOptions, invokeOptions } from '../../../sdk/js/client.js';

const MiB = 1 << 20;

// A place whose calls take these times: the policy is told what each call it placed measured.
function run(policy, name, inputBytes, { browserMs, cluster }, load = {}) {
  const decision = policy.choose(name, inputBytes, load);
  policy.started(name, inputBytes, decision.where);
  if (decision.where === 'browser') {
    policy.recordBrowser(name, inputBytes, { runMs: browserMs, placed: true });
  } else {
    policy.recordCluster(name, inputBytes, { ...cluster, placed: true });
  }
  return decision;
}

// A cluster call measured as: `rttMs` of round trip, the bytes at `bytesPerSecond`, `runMs` there.
function clusterCall({ rttMs, bytesPerSecond = Infinity, inputBytes = 0, outputBytes = 0, runMs, queuedMs = 0 }) {
  const transferMs = ((inputBytes + outputBytes) / bytesPerSecond) * 1000;
  return { wallMs: rttMs + transferMs + queuedMs + runMs, queuedMs, runMs, outputBytes };
}

function places(policy, name, inputBytes, costs, calls, load) {
  return Array.from({ length: calls }, () => run(policy, name, inputBytes, costs, load));
}

describe('where: auto, the policy', () => {
  it('explores each place `samples` times after a cold start, the browser first', () => {
    const policy = new Placement({ now: () => 0 });
    const costs = { browserMs: 1, cluster: clusterCall({ rttMs: 2, runMs: 0.1 }) };
    const first = places(policy, 'echo', 10, costs, 6);
    assert.deepEqual(first.map((d) => d.where), ['browser', 'cluster', 'browser', 'cluster', 'browser', 'cluster']);
    assert.ok(first.every((d) => d.reason === 'explore'));
    assert.match(first[0].detail, /0 call\(s\) here and 0 in the cluster of 3 each \(the first a cold start\)/);
    const next = run(policy, 'echo', 10, costs);
    assert.equal(next.reason, 'cheaper');
  });

  it('takes no measurement from a cold start: a first call that loaded or compiled the binary', () => {
    const policy = new Placement({ now: () => 0 });
    policy.recordBrowser('pi', 8, { runMs: 900 });
    policy.recordCluster('pi', 8, clusterCall({ rttMs: 1500, runMs: 9 }));
    assert.equal(policy.rttMs, null);
    for (let i = 0; i < 2; i += 1) {
      policy.recordBrowser('pi', 8, { runMs: 20 });
      policy.recordCluster('pi', 8, clusterCall({ rttMs: 1, runMs: 9 }));
    }
    const { estimates } = policy.choose('pi', 8);
    assert.equal(estimates.browserMs, 20);
    assert.equal(estimates.clusterMs, 10);
  });

  it('spreads concurrent explorations over both places', () => {
    const policy = new Placement({ now: () => 0 });
    const decisions = [];
    for (let i = 0; i < 6; i += 1) {
      const decision = policy.choose('pi', 10);
      policy.started('pi', 10, decision.where);
      decisions.push(decision.where);
    }
    assert.deepEqual(decisions.sort(), ['browser', 'browser', 'browser', 'cluster', 'cluster', 'cluster']);
  });

  it('runs a tiny call here: the round trip costs more than running it', () => {
    const policy = new Placement({ now: () => 0 });
    const costs = { browserMs: 0.3, cluster: clusterCall({ rttMs: 1.5, runMs: 0.2 }) };
    const decisions = places(policy, 'noop', 0, costs, 20).slice(6);
    assert.ok(decisions.every((d) => d.where === 'browser' && d.reason === 'cheaper'), JSON.stringify(decisions.map((d) => d.where)));
    const { estimates } = decisions.at(-1);
    assert.equal(estimates.browserMs, 0.3);
    assert.equal(estimates.rttMs, 1.5);
    assert.equal(estimates.clusterMs, 1.7);
  });

  it('runs a compute-heavy call in the cluster when it is faster there, round trip included', () => {
    const policy = new Placement({ now: () => 0 });
    const costs = { browserMs: 200, cluster: clusterCall({ rttMs: 2, runMs: 60 }) };
    const decisions = places(policy, 'pi', 8, costs, 20).slice(6);
    assert.ok(decisions.every((d) => d.where === 'cluster' && d.reason === 'cheaper'));
    assert.match(decisions[0].detail, /cluster 62\.0 ms \(rtt 2\.00 \+ transfer 0\.00 \+ run 60\.0 \+ queue 0\.00\) vs here 200\.0 ms/);
  });

  it('keeps a large input here over a slow link, though the cluster runs the function faster', () => {
    const policy = new Placement({ now: () => 0 });
    // 4 MiB in and out at 10 MiB/s: 800 ms on the wire against 30 ms here.
    const cluster = clusterCall({ rttMs: 5, bytesPerSecond: 10 * MiB, inputBytes: 4 * MiB, outputBytes: 4 * MiB, runMs: 10 });
    const decisions = places(policy, 'echo', 4 * MiB, { browserMs: 30, cluster }, 20).slice(6);
    assert.ok(decisions.every((d) => d.where === 'browser'), JSON.stringify(decisions.map((d) => d.where)));
    const { estimates } = decisions[0];
    // No small call measured the round trip, so the whole overhead counts as transfer: 8 MiB in 805 ms.
    assert.equal(estimates.rttMs, null);
    assert.ok(Math.abs(estimates.bytesPerSecond - (8 * MiB) / 0.805) < 1, String(estimates.bytesPerSecond));
    assert.ok(estimates.transferMs > 700);
  });

  it('learns the link from small calls and large ones together: the round trip from the small, the bandwidth from the large', () => {
    const policy = new Placement({ now: () => 0, alpha: 1 });
    // First calls are cold starts, no measurements.
    policy.recordCluster('noop', 0, clusterCall({ rttMs: 400, runMs: 0.1 }));
    policy.recordCluster('echo', MiB, clusterCall({ rttMs: 400, runMs: 1 }));
    policy.recordCluster('noop', 0, clusterCall({ rttMs: 4, runMs: 0.1 }));
    assert.ok(Math.abs(policy.rttMs - 4) < 1e-9);
    policy.recordCluster('echo', MiB, clusterCall({ rttMs: 4, bytesPerSecond: 50 * MiB, inputBytes: MiB, outputBytes: MiB, runMs: 1 }));
    assert.ok(Math.abs(policy.bytesPerSecond - 50 * MiB) < 1, String(policy.bytesPerSecond));
    assert.ok(Math.abs(policy.rttMs - 4) < 1e-9, 'a large call is no round-trip sample');
  });

  it('keeps estimates per input size class, so one function with small and large inputs is placed for each', () => {
    assert.equal(sizeClass(0), 0);
    assert.equal(sizeClass(4095), 0);
    assert.equal(sizeClass(4096), 1);
    assert.equal(sizeClass(16383), 1);
    assert.equal(sizeClass(16384), 2);
    const policy = new Placement({ now: () => 0 });
    const small = { browserMs: 50, cluster: clusterCall({ rttMs: 1, runMs: 10 }) };
    const large = { browserMs: 60, cluster: clusterCall({ rttMs: 1, bytesPerSecond: 5 * MiB, inputBytes: 2 * MiB, outputBytes: 2 * MiB, runMs: 10 }) };
    places(policy, 'echo', 10, small, 6);
    places(policy, 'echo', 2 * MiB, large, 6);
    assert.equal(run(policy, 'echo', 10, small).where, 'cluster');
    assert.equal(run(policy, 'echo', 2 * MiB, large).where, 'browser');
  });

  it('sends a busy page\'s calls to the cluster: its calls already running here, or other work delaying its timers', () => {
    const policy = new Placement({ now: () => 0 });
    const costs = { browserMs: 20, cluster: clusterCall({ rttMs: 2, runMs: 25 }) };
    places(policy, 'pi', 8, costs, 6);
    assert.equal(run(policy, 'pi', 8, costs).where, 'browser');
    const crowded = run(policy, 'pi', 8, costs, { browserRunning: 3 });
    assert.equal(crowded.where, 'cluster');
    assert.equal(crowded.estimates.browserMs, 80);
    for (let i = 0; i < 10; i += 1) policy.recordLag(40);
    const lagging = run(policy, 'pi', 8, costs);
    assert.equal(lagging.where, 'cluster');
    assert.ok(lagging.estimates.lagMs > 30, String(lagging.estimates.lagMs));
  });

  it('counts the cluster\'s queue when more calls are in flight there than it has workers', () => {
    const policy = new Placement({ now: () => 0 });
    const costs = { browserMs: 30, cluster: clusterCall({ rttMs: 1, runMs: 20 }) };
    places(policy, 'pi', 8, costs, 6);
    assert.equal(run(policy, 'pi', 8, costs, { clusterRunning: 1, workers: 2 }).where, 'cluster');
    const queued = run(policy, 'pi', 8, costs, { clusterRunning: 4, workers: 2 });
    assert.equal(queued.where, 'browser');
    assert.equal(queued.estimates.queueMs, 30);
  });

  it('re-explores the losing place within its budget, and notices a changed situation', () => {
    const policy = new Placement({ now: () => 0 });
    const fast = { browserMs: 100, cluster: clusterCall({ rttMs: 2, runMs: 8 }) };
    const decisions = places(policy, 'pi', 8, fast, 6 + 3000).slice(6);
    const reexplored = decisions.filter((d) => d.reason === 'reexplore');
    assert.ok(reexplored.length > 0 && reexplored.every((d) => d.where === 'browser'));
    // In the long run exploring costs about `budget` of the time spent, however far apart the places are
    // (more at first, while the loser's estimate rests on fewer than `window` samples).
    const spentMs = decisions.reduce((sum, d) => sum + (d.where === 'browser' ? 100 : 10), 0);
    const exploringMs = reexplored.length * 100;
    assert.ok(exploringMs / spentMs <= PLACEMENT_DEFAULTS.budget * 1.1, `${exploringMs} of ${spentMs} ms exploring`);
    assert.ok(exploringMs / spentMs >= PLACEMENT_DEFAULTS.budget * 0.5, `${exploringMs} of ${spentMs} ms exploring`);
    // The cluster gets loaded: re-exploring measures the browser again and calls move there.
    const loaded = { browserMs: 100, cluster: clusterCall({ rttMs: 2, runMs: 300, queuedMs: 100 }) };
    const after = places(policy, 'pi', 8, loaded, 30);
    assert.equal(after.at(-1).where, 'browser');
    assert.equal(after.at(-1).reason, 'cheaper');
  });

  it('lets an old lateness of the thread fade: half of it after lagHalfLifeMs without a sample', () => {
    let now = 0;
    const policy = new Placement({ now: () => now });
    policy.recordLag(40);
    assert.equal(policy.lagMs, 40);
    now += PLACEMENT_DEFAULTS.lagHalfLifeMs;
    assert.equal(policy.lagMs, 20);
  });

  it('counts the time of what a call chained in the cluster as the cluster\'s, not as the link\'s', () => {
    const policy = new Placement({ now: () => 0, alpha: 1 });
    for (let i = 0; i < 2; i += 1) policy.recordCluster('noop', 0, clusterCall({ rttMs: 1, runMs: 0.1 }));
    // pi's root runs 1 ms itself; its chained worker 99 ms more, which only the wall time shows.
    for (let i = 0; i < 2; i += 1) policy.recordCluster('pi', 8, { wallMs: 101, queuedMs: 0, runMs: 1, outputBytes: 40, chained: true });
    assert.ok(Math.abs(policy.rttMs - 1) < 1e-9);
    const { estimates } = policy.choose('pi', 8);
    assert.equal(estimates.clusterRunMs, 100);
    assert.equal(estimates.clusterMs, 101);
  });

  it('is deterministic: the same measurements, the same choices and traces', () => {
    const sweep = () => {
      const policy = new Placement({ now: () => 0 });
      return places(policy, 'pi', 8, { browserMs: 40, cluster: clusterCall({ rttMs: 3, runMs: 30 }) }, 100);
    };
    assert.deepEqual(sweep(), sweep());
  });

  it('refuses unknown options', () => {
    assert.throws(() => new Placement({ samples: 2, explore: 3 }), { name: 'TypeError', message: 'Placement: unknown option explore' });
  });
});

describe('where: auto, the options', () => {
  it('is accepted by invoke and as the default of a client connected to a gateway', () => {
    assert.equal(invokeOptions({ where: 'auto' }).where, 'auto');
    assert.equal(connectOptions({ where: 'auto' }, 'ws://127.0.0.1:1/ws').where, 'auto');
  });

  it('needs a gateway URL, as \'cluster\' does', () => {
    assert.throws(() => connectOptions({ where: 'auto', functions: '/f/' }), {
      name: 'TypeError', message: /connect options\.where can only be 'cluster' or 'auto'.* when connecting to a gateway URL/,
    });
  });

  it('refuses other places with a TypeError naming the choices', () => {
    assert.throws(() => invokeOptions({ where: 'sometimes' }), {
      name: 'TypeError', message: 'invoke options.where must be \'browser\', \'cluster\' or \'auto\', got sometimes',
    });
    assert.throws(() => connectOptions({ where: 'sometimes' }, 'ws://127.0.0.1:1/ws'), {
      name: 'TypeError', message: 'connect options.where must be \'browser\', \'cluster\' or \'auto\', got sometimes',
    });
    // Chained calls go to one place: 'auto' chooses only top-level calls.
    assert.throws(() => invokeOptions({ chain: 'auto' }), {
      name: 'TypeError', message: 'invoke options.chain must be \'browser\' or \'cluster\', got auto',
    });
  });
});
