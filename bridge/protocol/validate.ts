/**
 * Validation of every protocol message on arrival. Nothing from the wire is trusted: each check
 * throws a ProtocolError whose `field` is the path of the offending value and whose message says
 * what was expected and what came. Runs on every frame, so the hot paths are plain loops over
 * typed arrays that allocate nothing unless they fail.
 */
import {
  actionMaskSize,
  checkBehaviorSpec,
  observationSize,
  type BehaviorSpec,
} from '../spec/BehaviorSpec.js';
import type {
  ActionsMessage,
  CloseMessage,
  ErrorCode,
  ErrorMessage,
  HelloMessage,
  MessageType,
  ParametersMessage,
  ResetMessage,
  StepsMessage,
  WelcomeMessage,
} from './messages.js';
import { ProtocolError } from './ProtocolError.js';
import { PROTOCOL_VERSION, parseProtocolVersion } from './version.js';

/** Largest frame either side accepts (64 MiB); use it as the WebSocket `maxPayload`. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** What the game may receive after its hello: the specs it declared and, per behavior, the agent ids still waiting for actions. */
export interface TrainerMessageContext {
  specs: ReadonlyMap<string, BehaviorSpec>;
  awaiting: ReadonlyMap<string, Int32Array>;
}

type Fields = Record<string, unknown>;

const MESSAGE_TYPES: ReadonlySet<string> = new Set<MessageType>([
  'hello',
  'welcome',
  'steps',
  'actions',
  'reset',
  'parameters',
  'close',
  'error',
]);

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'malformed',
  'unknown_type',
  'invalid_field',
  'version_mismatch',
  'unauthorized',
  'frame_too_large',
  'unexpected_message',
  'internal',
]);

const SYNC_MODES: ReadonlySet<string> = new Set<WelcomeMessage['mode']>(['train', 'inference']);

// ---------------------------------------------------------------------------------------------
// Handshake

/** Validates the game's opening message (trainer side); a different major version throws 'version_mismatch'. */
export function validateHello(msg: unknown): HelloMessage {
  const m = header(msg, ['hello'], 'as the first message of a game (open with hello)');
  checkVersion(m.protocol, 'game', 'trainer');
  nonEmptyString(m.game, 'game', 'the game name');
  nonEmptyString(m.instanceId, 'instanceId', 'an id of this game instance');
  const behaviors = m.behaviors;
  if (!Array.isArray(behaviors) || behaviors.length === 0) {
    invalid('behaviors', 'a non-empty list of behavior specs', behaviors);
  }
  for (let i = 0; i < behaviors.length; i++) {
    const field = `behaviors[${i}]`;
    checkSpec(behaviors[i], field);
    for (let j = 0; j < i; j++) {
      if ((behaviors[j] as BehaviorSpec).name === (behaviors[i] as BehaviorSpec).name) {
        invalid(`${field}.name`, `a behavior name not used by behaviors[${j}]`, (behaviors[i] as BehaviorSpec).name);
      }
    }
  }
  positiveInteger(m.areas, 'areas', 'the number of arenas');
  const caps = m.capabilities;
  if (!Array.isArray(caps)) invalid('capabilities', 'a list of strings (may be empty)', caps);
  for (let i = 0; i < caps.length; i++) {
    if (typeof caps[i] !== 'string') invalid(`capabilities[${i}]`, 'a string', caps[i]);
  }
  const token = optional(m, 'token');
  if (token !== undefined && typeof token !== 'string') invalid('token', 'a string (or no token field)', token);
  return m as unknown as HelloMessage;
}

/** Validates the trainer's answer to hello (game side); a different major version throws 'version_mismatch'. */
export function validateWelcome(msg: unknown): WelcomeMessage {
  const m = header(msg, ['welcome', 'error', 'close'], 'as the answer to hello');
  // An error or close instead of welcome is the trainer refusing the game (wrong version, token...):
  // rethrow it with the trainer's own code so that the game can report or react to the real cause.
  if (m.type === 'error') {
    const refusal = checkError(m);
    throw new ProtocolError(refusal.code, `the trainer refused the hello: ${refusal.message}`, refusal.field);
  }
  if (m.type === 'close') {
    const reason = checkClose(m).reason ?? 'no reason given';
    throw new ProtocolError('unexpected_message', `expected welcome, the trainer closed the connection instead (${reason})`, 'type');
  }
  checkVersion(m.protocol, 'trainer', 'game');
  if (!Number.isSafeInteger(m.seed)) invalid('seed', 'an integer seed', m.seed);
  if (typeof m.timeScale !== 'number' || !(m.timeScale > 0) || m.timeScale === Infinity) {
    invalid('timeScale', 'a finite number > 0', m.timeScale);
  }
  if (m.decisionPeriod === undefined) m.decisionPeriod = null;
  if (m.decisionPeriod !== null) positiveInteger(m.decisionPeriod, 'decisionPeriod', 'null or a decision period');
  numberMap(m.parameters, 'parameters');
  if (typeof m.mode !== 'string' || !SYNC_MODES.has(m.mode)) invalid('mode', `one of ${[...SYNC_MODES].join(', ')}`, m.mode);
  return m as unknown as WelcomeMessage;
}

// ---------------------------------------------------------------------------------------------
// After the handshake

/** Validates a message from a game after its hello (trainer side) against the specs it declared. */
export function validateGameMessage(
  msg: unknown,
  specs: ReadonlyMap<string, BehaviorSpec>,
): StepsMessage | CloseMessage | ErrorMessage {
  const m = header(msg, ['steps', 'close', 'error'], 'by a game after its hello');
  if (m.type === 'close') return checkClose(m);
  if (m.type === 'error') return checkError(m);
  const behaviors = m.behaviors;
  if (!isMap(behaviors)) invalid('behaviors', 'a map from behavior name to {decisions, terminals}', behaviors);
  for (const name in behaviors) {
    const field = `behaviors.${name}`;
    const spec = specs.get(name);
    if (spec === undefined) {
      throw new ProtocolError(
        'invalid_field',
        `expected a behavior declared in hello (${[...specs.keys()].join(', ')}), got unknown behavior '${name}'`,
        field,
      );
    }
    const entry = behaviors[name];
    if (!isMap(entry)) invalid(field, 'a map {decisions, terminals}', entry);
    const layout = layoutOf(spec);
    checkAgentSet(entry.decisions, spec, layout, `${field}.decisions`, true);
    checkAgentSet(entry.terminals, spec, layout, `${field}.terminals`, false);
  }
  const stats = optional(m, 'stats');
  if (stats !== undefined) numberMap(stats, 'stats');
  return m as unknown as StepsMessage;
}

/** Validates a message from the trainer after welcome (game side); actions must answer exactly `ctx.awaiting`. */
export function validateTrainerMessage(
  msg: unknown,
  ctx: TrainerMessageContext,
): ActionsMessage | ResetMessage | ParametersMessage | CloseMessage | ErrorMessage {
  const m = header(msg, ['actions', 'reset', 'parameters', 'close', 'error'], 'by the trainer after welcome');
  switch (m.type) {
    case 'actions':
      return checkActions(m, ctx);
    case 'reset': {
      const parameters = optional(m, 'parameters');
      if (parameters !== undefined) numberMap(parameters, 'parameters');
      return m as unknown as ResetMessage;
    }
    case 'parameters':
      numberMap(m.parameters, 'parameters');
      return m as unknown as ParametersMessage;
    case 'close':
      return checkClose(m);
    default:
      return checkError(m);
  }
}

// ---------------------------------------------------------------------------------------------
// Message bodies

// Field paths are built only when a check fails: `path` is the set's path, `key` the field in it.
function checkAgentSet(set: unknown, spec: BehaviorSpec, layout: Layout, path: string, isDecisions: boolean): void {
  if (!isMap(set)) {
    const last = isDecisions ? 'actionMasks' : 'interrupted';
    invalid(path, `a map {agentIds, obs, rewards, groupIds, groupRewards, teamIds, ${last}} (n = 0 when empty)`, set);
  }
  const ids = typedArray(set.agentIds, Int32Array, path, 'agentIds');
  const n = ids.length;
  checkAgentIds(ids, path);

  const obs = set.obs;
  const count = layout.obsSizes.length;
  if (!Array.isArray(obs) || obs.length !== count) {
    invalid(`${path}.obs`, `a list of ${count} Float32Array, one per observation (${layout.obsNames.join(', ')})`, obs);
  }
  for (let k = 0; k < count; k++) {
    const size = layout.obsSizes[k]!;
    const a = typedArray(obs[k], Float32Array, path, 'obs', k);
    if (a.length !== n * size) {
      lengthMismatch(`${path}.obs[${k}]`, a, n * size, `${n} agents x ${size} floats of observation '${layout.obsNames[k]}'`);
    }
    const bad = firstNonFinite(a);
    if (bad >= 0) {
      const row = Math.floor(bad / size);
      throw new ProtocolError(
        'invalid_field',
        `expected finite observations, got ${a[bad]} at index ${bad} (agent ${ids[row]}, value ${bad - row * size} of '${layout.obsNames[k]}')`,
        `${path}.obs[${k}][${bad}]`,
      );
    }
  }

  finiteRows(typedArray(set.rewards, Float32Array, path, 'rewards'), ids, path, 'rewards');
  const groupIds = typedArray(set.groupIds, Int32Array, path, 'groupIds');
  if (groupIds.length !== n) lengthMismatch(`${path}.groupIds`, groupIds, n, `one per agent`);
  for (let i = 0; i < n; i++) {
    if (groupIds[i]! < 0) invalid(`${path}.groupIds[${i}]`, 'a group id >= 0 (0 = no group)', groupIds[i]);
  }
  finiteRows(typedArray(set.groupRewards, Float32Array, path, 'groupRewards'), ids, path, 'groupRewards');
  const teamIds = typedArray(set.teamIds, Int32Array, path, 'teamIds');
  if (teamIds.length !== n) lengthMismatch(`${path}.teamIds`, teamIds, n, 'one per agent');
  for (let i = 0; i < n; i++) {
    const t = teamIds[i]!;
    if (t < 0 || t >= spec.teamCount) {
      invalid(`${path}.teamIds[${i}]`, `a team id in 0..${spec.teamCount - 1} (the spec's teamCount is ${spec.teamCount})`, t);
    }
  }

  if (isDecisions) {
    const masks = optional(set, 'actionMasks');
    if (masks !== undefined) checkMasks(masks, layout, ids, path);
  } else {
    const interrupted = typedArray(set.interrupted, Uint8Array, path, 'interrupted');
    if (interrupted.length !== n) lengthMismatch(`${path}.interrupted`, interrupted, n, 'one flag per agent');
    for (let i = 0; i < n; i++) {
      if (interrupted[i]! > 1) invalid(`${path}.interrupted[${i}]`, '0 (real end) or 1 (cut by maxStep)', interrupted[i]);
    }
  }
}

function checkMasks(value: unknown, layout: Layout, ids: Int32Array, path: string): void {
  if (layout.maskSize === 0) {
    invalid(`${path}.actionMasks`, 'no actionMasks field (the behavior has no discrete branches)', value);
  }
  const masks = typedArray(value, Uint8Array, path, 'actionMasks');
  const n = ids.length;
  const width = layout.maskSize;
  if (masks.length !== n * width) {
    lengthMismatch(`${path}.actionMasks`, masks, n * width, `${n} agents x ${width} (sum of branch sizes ${layout.branches.join('+')})`);
  }
  for (let i = 0; i < masks.length; i++) {
    if (masks[i]! > 1) invalid(`${path}.actionMasks[${i}]`, '0 (masked) or 1 (allowed)', masks[i]);
  }
  for (let row = 0, at = 0; row < n; row++) {
    for (let b = 0; b < layout.branches.length; b++) {
      const size = layout.branches[b]!;
      let allowed = 0;
      for (let k = 0; k < size; k++) allowed |= masks[at + k]!;
      if (allowed === 0) {
        throw new ProtocolError(
          'invalid_field',
          `expected at least one allowed action per branch, got every action of branch ${b} masked for agent ${ids[row]}`,
          `${path}.actionMasks[${at}]`,
        );
      }
      at += size;
    }
  }
}

function checkActions(m: Fields, ctx: TrainerMessageContext): ActionsMessage {
  const behaviors = m.behaviors;
  if (!isMap(behaviors)) invalid('behaviors', 'a map from behavior name to {agentIds, continuous, discrete}', behaviors);
  for (const name in behaviors) {
    const path = `behaviors.${name}`;
    const spec = ctx.specs.get(name);
    const asked = ctx.awaiting.get(name);
    if (spec === undefined || asked === undefined) {
      const waiting = [...ctx.awaiting.keys()].join(', ') || 'none';
      const what = spec === undefined ? 'unknown behavior' : 'behavior that asked for no decisions';
      throw new ProtocolError('invalid_field', `expected actions only for behaviors waiting for decisions (${waiting}), got ${what} '${name}'`, path);
    }
    const entry = behaviors[name];
    if (!isMap(entry)) invalid(path, 'a map {agentIds, continuous, discrete}', entry);
    const ids = typedArray(entry.agentIds, Int32Array, path, 'agentIds');
    const n = asked.length;
    if (ids.length !== n) {
      lengthMismatch(`${path}.agentIds`, ids, n, `the agents that asked for a decision, in the order they asked`);
    }
    for (let i = 0; i < n; i++) {
      if (ids[i] !== asked[i]) {
        const askedRow = asked.indexOf(ids[i]!);
        const why =
          askedRow < 0
            ? `agent ${ids[i]}, which did not ask for a decision`
            : `agent ${ids[i]}, which asked at row ${askedRow} (answer in the order of the request)`;
        throw new ProtocolError('invalid_field', `expected agent ${asked[i]}, got ${why}`, `${path}.agentIds[${i}]`);
      }
    }
    const layout = layoutOf(spec);
    const continuous = typedArray(entry.continuous, Float32Array, path, 'continuous');
    if (continuous.length !== n * layout.continuous) {
      lengthMismatch(`${path}.continuous`, continuous, n * layout.continuous, `${n} agents x ${layout.continuous} continuous actions`);
    }
    const bad = firstNonFinite(continuous);
    if (bad >= 0) {
      const row = Math.floor(bad / layout.continuous);
      invalid(`${path}.continuous[${bad}]`, `finite actions (agent ${ids[row]})`, continuous[bad]);
    }
    const discrete = typedArray(entry.discrete, Int32Array, path, 'discrete');
    const branchCount = layout.branches.length;
    if (discrete.length !== n * branchCount) {
      lengthMismatch(`${path}.discrete`, discrete, n * branchCount, `${n} agents x ${branchCount} discrete branches`);
    }
    for (let i = 0, b = 0; i < discrete.length; i++) {
      const size = layout.branches[b]!;
      const v = discrete[i]!;
      if (v < 0 || v >= size) {
        invalid(`${path}.discrete[${i}]`, `an action in 0..${size - 1} for branch ${b} (agent ${ids[Math.floor(i / branchCount)]})`, v);
      }
      if (++b === branchCount) b = 0;
    }
  }
  for (const [name, asked] of ctx.awaiting) {
    if (asked.length > 0 && !Object.hasOwn(behaviors, name)) {
      invalid(`behaviors.${name}`, `actions for the ${asked.length} agents of '${name}' that asked for a decision`, undefined);
    }
  }
  return m as unknown as ActionsMessage;
}

function checkClose(m: Fields): CloseMessage {
  const reason = optional(m, 'reason');
  if (reason !== undefined && typeof reason !== 'string') invalid('reason', 'a string (or no reason field)', reason);
  return m as unknown as CloseMessage;
}

function checkError(m: Fields): ErrorMessage {
  if (typeof m.code !== 'string' || !ERROR_CODES.has(m.code)) invalid('code', `one of ${[...ERROR_CODES].join(', ')}`, m.code);
  if (typeof m.message !== 'string') invalid('message', 'a string', m.message);
  const field = optional(m, 'field');
  if (field !== undefined && typeof field !== 'string') invalid('field', 'a string (or no field)', field);
  return m as unknown as ErrorMessage;
}

function checkSpec(value: unknown, field: string): void {
  if (!isMap(value)) invalid(field, 'a behavior spec {name, observations, actions, teamCount, maxStep}', value);
  // checkBehaviorSpec reads nested fields, so their containers must be maps first.
  const observations = value.observations;
  if (Array.isArray(observations)) {
    for (let i = 0; i < observations.length; i++) {
      if (!isMap(observations[i])) invalid(`${field}.observations[${i}]`, 'an observation {name, shape, kind}', observations[i]);
    }
  }
  if (!isMap(value.actions)) invalid(`${field}.actions`, 'a map {continuous, discrete}', value.actions);
  try {
    checkBehaviorSpec(value as unknown as BehaviorSpec, field);
  } catch (err) {
    // checkBehaviorSpec reports "<path>: expected ..., got ..."; keep its path as the field.
    const text = err instanceof Error ? err.message : String(err);
    const parts = /^([^\s:]+): ([\s\S]*)$/.exec(text);
    throw new ProtocolError('invalid_field', parts ? parts[2]! : text, parts ? parts[1]! : field);
  }
}

function checkVersion(value: unknown, sender: string, receiver: string): void {
  const theirs = parseProtocolVersion(value);
  if (theirs === null) invalid('protocol', `a version 'major.minor' (this ${receiver} speaks ${PROTOCOL_VERSION})`, value);
  const ours = parseProtocolVersion(PROTOCOL_VERSION)!;
  if (theirs.major !== ours.major) {
    const older = theirs.major < ours.major ? sender : receiver;
    throw new ProtocolError(
      'version_mismatch',
      `the ${sender} speaks protocol ${value as string} but this ${receiver} speaks ${PROTOCOL_VERSION}; ` +
        `major versions must match: update the ${older}`,
      'protocol',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Building blocks

interface Layout {
  readonly obsSizes: readonly number[];
  readonly obsNames: readonly string[];
  readonly continuous: number;
  readonly branches: readonly number[];
  readonly maskSize: number;
}

// Specs are immutable once declared, so the sizes derived from them are computed once per spec.
const layouts = new WeakMap<BehaviorSpec, Layout>();

function layoutOf(spec: BehaviorSpec): Layout {
  let layout = layouts.get(spec);
  if (layout === undefined) {
    layout = {
      obsSizes: spec.observations.map(observationSize),
      obsNames: spec.observations.map((o) => o.name),
      continuous: spec.actions.continuous,
      branches: spec.actions.discrete,
      maskSize: actionMaskSize(spec.actions),
    };
    layouts.set(spec, layout);
  }
  return layout;
}

function header(msg: unknown, allowed: readonly MessageType[], when: string): Fields & { type: string } {
  if (!isMap(msg)) {
    throw new ProtocolError('malformed', `expected a msgpack map with a string field 'type', got ${describe(msg)}`);
  }
  const type = msg.type;
  if (typeof type !== 'string') {
    throw new ProtocolError('malformed', `expected a string naming the message (${allowed.join(', ')}), got ${describe(type)}`, 'type');
  }
  if ((allowed as readonly string[]).includes(type)) return msg as Fields & { type: string };
  if (!MESSAGE_TYPES.has(type)) {
    throw new ProtocolError(
      'unknown_type',
      `expected one of ${allowed.join(', ')}, got '${type}', which protocol ${PROTOCOL_VERSION} does not define`,
      'type',
    );
  }
  throw new ProtocolError('unexpected_message', `expected one of ${allowed.join(', ')} ${when}, got '${type}'`, 'type');
}

type TypedArrayClass<T> = { new (length: number): T; readonly name: string };

// The wire code of each typed array in msgpackr's extension 0x74 (see PROTOCOL.md).
const WIRE_CODE = new Map<unknown, string>([
  [Uint8Array, 'ext 0x74 code 1, or bin'],
  [Int32Array, 'ext 0x74 code 5'],
  [Float32Array, 'ext 0x74 code 7'],
]);

function typedArray<T extends Uint8Array | Int32Array | Float32Array>(
  value: unknown,
  type: TypedArrayClass<T>,
  path: string,
  key: string,
  index = -1,
): T {
  // Exact constructor: a Node Buffer or another typed array would reach consumers with other semantics.
  if (value === null || typeof value !== 'object' || value.constructor !== type) {
    invalid(index < 0 ? `${path}.${key}` : `${path}.${key}[${index}]`, `a ${type.name} (msgpack ${WIRE_CODE.get(type)})`, value);
  }
  return value as T;
}

function lengthMismatch(field: string, got: ArrayLike<number>, expected: number, why: string): never {
  throw new ProtocolError('invalid_field', `expected ${expected} values (${why}), got ${describe(got)}`, field);
}

function finiteRows(a: Float32Array, ids: Int32Array, path: string, key: string): void {
  if (a.length !== ids.length) lengthMismatch(`${path}.${key}`, a, ids.length, 'one per agent');
  const bad = firstNonFinite(a);
  if (bad >= 0) invalid(`${path}.${key}[${bad}]`, `finite values (agent ${ids[bad]})`, a[bad]);
}

/** Index of the first NaN or infinity, -1 when every value is finite. */
function firstNonFinite(a: Float32Array): number {
  // Fast path: float32 values summed in float64 cannot overflow (n x 3.4e38 is far below 1.8e308),
  // so the sum is finite exactly when every value is. Four sums keep the adds independent, which
  // makes this about three times faster than testing each value.
  const n = a.length;
  const n4 = n & ~3;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i < n4; i += 4) {
    s0 += a[i]!;
    s1 += a[i + 1]!;
    s2 += a[i + 2]!;
    s3 += a[i + 3]!;
  }
  for (; i < n; i++) s0 += a[i]!;
  const sum = s0 + s1 + s2 + s3;
  if (sum - sum === 0) return -1;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    // v - v is 0 for every finite float and NaN for NaN and both infinities.
    if (v - v !== 0) return i;
  }
  return -1;
}

// Epoch-stamped table indexed by agent id: finds duplicates in O(n) without clearing per message.
let seenStamp = new Uint32Array(1024);
let seenEpoch = 0;
const STAMP_LIMIT = 1 << 22;

function checkAgentIds(ids: Int32Array, path: string): void {
  const n = ids.length;
  let maxId = 0;
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (id < 0) invalid(`${path}.agentIds[${i}]`, 'an agent id >= 0', id);
    if (id > maxId) maxId = id;
  }
  if (n < 2) return;
  if (maxId >= STAMP_LIMIT) {
    // Ids this large never come from Sync; sort a copy rather than grow the table.
    const sorted = Int32Array.from(ids).sort();
    for (let i = 1; i < n; i++) if (sorted[i] === sorted[i - 1]) duplicateId(ids, sorted[i]!, path);
    return;
  }
  if (maxId >= seenStamp.length) seenStamp = new Uint32Array(Math.max(maxId + 1, seenStamp.length * 2));
  if (++seenEpoch === 0xffffffff) {
    seenStamp.fill(0);
    seenEpoch = 1;
  }
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (seenStamp[id] === seenEpoch) duplicateId(ids, id, path);
    seenStamp[id] = seenEpoch;
  }
}

function duplicateId(ids: Int32Array, id: number, path: string): never {
  const first = ids.indexOf(id);
  const again = ids.indexOf(id, first + 1);
  throw new ProtocolError('invalid_field', `expected agent ids unique within the set, got agent ${id} at rows ${first} and ${again}`, `${path}.agentIds[${again}]`);
}

function numberMap(value: unknown, field: string): void {
  if (!isMap(value)) invalid(field, 'a map from name to number', value);
  for (const key in value) {
    const v = value[key];
    if (typeof v !== 'number' || v - v !== 0) invalid(`${field}.${key}`, 'a finite number', v);
  }
}

function nonEmptyString(value: unknown, field: string, what: string): void {
  if (typeof value !== 'string' || value.length === 0) invalid(field, `a non-empty string (${what})`, value);
}

function positiveInteger(value: unknown, field: string, what: string): void {
  if (!Number.isSafeInteger(value) || (value as number) < 1) invalid(field, `an integer >= 1 (${what})`, value);
}

/** Reads an optional field; a msgpack nil counts as absent and is removed so the typed message holds. */
function optional(m: Fields, key: string): unknown {
  const v = m[key];
  if (v === null) delete m[key];
  return v ?? undefined;
}

function isMap(value: unknown): value is Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function invalid(field: string, expected: string, got: unknown): never {
  throw new ProtocolError('invalid_field', `expected ${expected}, got ${describe(got)}`, field);
}

/** A short description of a wire value for error messages. */
function describe(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)';
  if (v === null) return 'nil';
  if (typeof v === 'string') return v.length > 60 ? `the string ${JSON.stringify(v.slice(0, 60))}...` : `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return `the integer ${v} (too large for a double)`;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof Buffer !== 'undefined' && Buffer.isBuffer(v)) return `a Node Buffer of ${v.length} bytes`;
  if (ArrayBuffer.isView(v)) {
    const length = (v as unknown as ArrayLike<number>).length;
    return `a ${v.constructor.name} of length ${length ?? v.byteLength}`;
  }
  if (v instanceof ArrayBuffer) return `an ArrayBuffer of ${v.byteLength} bytes (ext 0x74 code 16)`;
  if (isMap(v)) {
    const keys = Object.keys(v);
    return keys.length === 0 ? 'an empty map' : `a map with keys ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', ...' : ''}`;
  }
  return `a ${typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v}`;
}
