import { Vec3 } from 'cannon-es';
import * as THREE from 'three';
import type { GameInstance } from '../../bridge/game/GameModule.js';
import { ViewStage, type GameView } from '../ViewStage.js';
import { createArenaScenery, createSnowfield, Snowfall } from './ArenaScenery.js';
import { SnowballKeys } from './SnowballKeys.js';
import { createBearMesh, createBullseyeTexture, createSnowballMesh, createTargetMesh } from './SnowballMeshes.js';
import { SNOWBALL_EPISODE_DECISIONS, SNOWBALL_DECISION_PERIOD, SNOWBALL_FIXED_DELTA_TIME, SnowballTargetGame, snowballRules as R } from './sim.js';
import type { SnowballAgent } from './SnowballAgent.js';
import type { SnowballArea } from './SnowballArea.js';
import { TextPanel } from './TextPanel.js';

const ARENA_CELL = 2 * R.arenaHalfSize + 12;
const EPISODE_SECONDS = SNOWBALL_EPISODE_DECISIONS * SNOWBALL_DECISION_PERIOD * SNOWBALL_FIXED_DELTA_TIME;
const BURST_SECONDS = 0.5;
const RAY_COLORS = [0x4a7bd1, 0xe08a1e, 0xd62828, 0x2a9d4b];

/** The meshes of one arena and what the view remembers between frames. */
interface ArenaMeshes {
  area: SnowballArea;
  agent: SnowballAgent;
  origin: THREE.Vector3;
  bear: THREE.Group;
  targets: THREE.Group[];
  targetSpots: THREE.Vector3[];
  snowballs: THREE.Mesh[];
  label: THREE.Sprite;
  labelPanel: TextPanel;
  lastHits: number;
  rays: THREE.LineSegments;
}

/** A white puff where a target was hit, growing and fading over half a second. */
interface Burst {
  mesh: THREE.Mesh;
  age: number;
}

/**
 * Draws SnowballTarget: snowy arenas with walls and pines, Julien the bear, flying snowballs,
 * bullseye targets (with a puff when hit), falling snow, hit counters over the arenas and a counter
 * overlay. One arena is followed by a camera behind the bear; several are shown from above.
 * Arrows or WASD walk and turn, space throws, R shows the rays the bears see.
 */
export function createView(game: GameInstance, canvas: HTMLCanvasElement): GameView {
  if (!(game instanceof SnowballTargetGame)) {
    throw new Error(
      'snowballtarget view: createView needs a game made by the snowballtarget module (SnowballTargetGame); pass the instance snowballtarget.create() returned',
    );
  }
  const document = canvas.ownerDocument;
  const stage = new ViewStage(canvas, { areas: game.areas.length, cellWidth: ARENA_CELL, cellDepth: ARENA_CELL, height: 4 });
  const sky = new THREE.Color(0xbfd4e6);
  stage.scene.background = sky;
  stage.scene.fog = new THREE.Fog(sky, ARENA_CELL * 1.5, ARENA_CELL * 6);
  const columns = Math.ceil(Math.sqrt(game.areas.length));
  const extent = ARENA_CELL * (columns + 4);
  stage.scene.add(createSnowfield(extent * 2));
  const snowfall = new Snowfall(Math.min(extent, ARENA_CELL * 3), 12);
  stage.scene.add(snowfall.points);

  const bullseye = createBullseyeTexture(document);
  const arenas: ArenaMeshes[] = game.areas.map((area, i) => {
    const origin = stage.areaOrigin(i);
    stage.scene.add(createArenaScenery(origin));
    const bear = createBearMesh();
    const targets = area.targets.map(() => createTargetMesh(bullseye));
    const snowballs = area.snowballs.map(() => createSnowballMesh());
    const labelPanel = new TextPanel(document, 256, 64);
    const label = new THREE.Sprite(new THREE.SpriteMaterial({ map: labelPanel.texture, depthTest: false }));
    label.scale.set(4, 1, 1);
    label.position.set(origin.x, 5, origin.z - R.arenaHalfSize);
    const agent = game.agents[i]!;
    const rays = new THREE.LineSegments(
      new THREE.BufferGeometry(),
      new THREE.LineBasicMaterial({ vertexColors: true, transparent: true, opacity: 0.8 }),
    );
    const rayCount = agent.sensors.reduce((n, s) => n + s.rays.length, 0);
    rays.geometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array(rayCount * 6), 3));
    const colors = new Float32Array(rayCount * 6);
    let k = 0;
    agent.sensors.forEach((sensor, s) => {
      const c = new THREE.Color(RAY_COLORS[s % RAY_COLORS.length]);
      for (let r = 0; r < sensor.rays.length * 2; r++, k++) colors.set([c.r, c.g, c.b], k * 3);
    });
    rays.geometry.setAttribute('color', new THREE.BufferAttribute(colors, 3));
    rays.visible = false;
    stage.scene.add(bear, ...targets, ...snowballs, label, rays);
    const targetSpots = area.targets.map((t) => new THREE.Vector3(t.body.position.x, 0, t.body.position.z));
    return { area, agent, origin, bear, targets, targetSpots, snowballs, label, labelPanel, lastHits: 0, rays };
  });
  const single = arenas.length === 1;
  for (const a of arenas) a.label.visible = !single;

  // Screen overlay: one panel in the top-left corner, drawn after the scene with its own camera.
  const hud = new THREE.Scene();
  const hudCamera = new THREE.OrthographicCamera(0, 1, 1, 0, -1, 1);
  const hudPanel = new TextPanel(document, 768, 96);
  const hudSprite = new THREE.Sprite(new THREE.SpriteMaterial({ map: hudPanel.texture, depthTest: false }));
  hud.add(hudSprite);

  const burstGeometry = new THREE.SphereGeometry(1, 16, 12);
  const bursts: Burst[] = [];
  const keys = new SnowballKeys(canvas);
  for (const agent of game.agents) agent.manualInput = keys;

  let lastFrame = -1;
  const followFrom = new THREE.Vector3();
  const followAt = new THREE.Vector3();
  const forward = new Vec3();
  let followReady = false;

  const popAt = (position: THREE.Vector3): void => {
    const mesh = new THREE.Mesh(burstGeometry, new THREE.MeshBasicMaterial({ color: 0xffffff, transparent: true, opacity: 0.9 }));
    mesh.position.copy(position);
    stage.scene.add(mesh);
    bursts.push({ mesh, age: 0 });
  };

  const drawArena = (a: ArenaMeshes): void => {
    const o = a.origin;
    const b = a.area.bear.position;
    const q = a.area.bear.quaternion;
    a.bear.position.set(o.x + b.x, 0, o.z + b.z);
    a.bear.quaternion.set(q.x, q.y, q.z, q.w);
    a.area.targets.forEach((t, i) => {
      const mesh = a.targets[i]!;
      const spot = a.targetSpots[i]!;
      const p = t.body.position;
      // A target that moved was hit (it respawns at once in the simulation): puff at the old spot.
      if (spot.x !== p.x || spot.z !== p.z) {
        if (a.area.hits > a.lastHits) popAt(new THREE.Vector3(o.x + spot.x, R.targetHeight, o.z + spot.z));
        spot.set(p.x, 0, p.z);
      }
      mesh.visible = t.standing;
      mesh.position.set(o.x + p.x, 0, o.z + p.z);
      mesh.lookAt(a.bear.position.x, 0, a.bear.position.z);
    });
    a.lastHits = a.area.hits;
    a.area.snowballs.forEach((s, i) => {
      const mesh = a.snowballs[i]!;
      mesh.visible = s.flying;
      if (s.flying) mesh.position.set(o.x + s.body.position.x, s.body.position.y, o.z + s.body.position.z);
    });
    a.labelPanel.show(`${a.area.hits} hits`);
    a.rays.visible = keys.showRays;
    if (keys.showRays) drawRays(a);
  };

  const drawRays = (a: ArenaMeshes): void => {
    const attribute = a.rays.geometry.getAttribute('position') as THREE.BufferAttribute;
    const out = attribute.array as Float32Array;
    const o = a.origin;
    let k = 0;
    for (const sensor of a.agent.sensors) {
      for (const ray of sensor.rays) {
        out.set([o.x + ray.start.x, ray.start.y, o.z + ray.start.z, o.x + ray.hitPoint.x, ray.hitPoint.y, o.z + ray.hitPoint.z], k);
        k += 6;
      }
    }
    attribute.needsUpdate = true;
  };

  const follow = (a: ArenaMeshes, seconds: number): void => {
    a.area.forward(forward);
    const bear = a.bear.position;
    const from = new THREE.Vector3(bear.x - forward.x * 8, 6, bear.z - forward.z * 8);
    const at = new THREE.Vector3(bear.x + forward.x * 6, 0.5, bear.z + forward.z * 6);
    // Eased chase camera: turning 200 degrees a second would be sickening if followed rigidly.
    const ease = followReady ? 1 - Math.exp(-4 * seconds) : 1;
    followFrom.lerp(from, ease);
    followAt.lerp(at, ease);
    followReady = true;
    stage.camera.position.copy(followFrom);
    stage.camera.lookAt(followAt);
  };

  const drawHud = (): void => {
    const size = stage.renderer.getSize(new THREE.Vector2());
    if (size.x === 0 || size.y === 0) return;
    hudCamera.right = size.x;
    hudCamera.top = size.y;
    hudCamera.updateProjectionMatrix();
    const w = Math.min(size.x * 0.6, 480);
    hudSprite.scale.set(w, (w * hudPanel.height) / hudPanel.width, 1);
    hudSprite.position.set(12 + w / 2, size.y - 12 - hudSprite.scale.y / 2, 0);
    if (single) {
      const a = arenas[0]!;
      const left = Math.max(0, EPISODE_SECONDS - a.agent.stepCount * SNOWBALL_FIXED_DELTA_TIME);
      hudPanel.show(`Hits ${a.area.hits}   ·   ${Math.ceil(left)} s   ·   ${a.area.canShoot ? 'snowball ready' : 'reloading…'}`);
    } else {
      const hits = arenas.reduce((n, a) => n + a.area.hits, 0);
      hudPanel.show(`Hits ${hits} in ${arenas.length} arenas`);
    }
    const renderer = stage.renderer;
    const autoClear = renderer.autoClear;
    renderer.autoClear = false;
    renderer.clearDepth();
    renderer.render(hud, hudCamera);
    renderer.autoClear = autoClear;
  };

  return {
    render() {
      const now = performance.now();
      const seconds = lastFrame < 0 ? 0 : Math.min((now - lastFrame) / 1000, 0.1);
      lastFrame = now;
      for (const a of arenas) drawArena(a);
      if (single) follow(arenas[0]!, seconds);
      for (let i = bursts.length - 1; i >= 0; i--) {
        const burst = bursts[i]!;
        burst.age += seconds;
        const t = burst.age / BURST_SECONDS;
        burst.mesh.scale.setScalar(R.targetRadius * (0.6 + 1.4 * t));
        (burst.mesh.material as THREE.MeshBasicMaterial).opacity = 0.9 * (1 - t);
        if (t >= 1) {
          stage.scene.remove(burst.mesh);
          (burst.mesh.material as THREE.Material).dispose();
          bursts.splice(i, 1);
        }
      }
      snowfall.update(seconds);
      if (single) snowfall.points.position.set(arenas[0]!.bear.position.x, 0, arenas[0]!.bear.position.z);
      stage.render();
      drawHud();
    },
    dispose() {
      keys.dispose();
      for (const agent of game.agents) agent.manualInput = null;
      for (const a of arenas) {
        a.labelPanel.dispose();
        a.label.material.dispose();
        a.rays.geometry.dispose();
        (a.rays.material as THREE.Material).dispose();
      }
      snowfall.points.geometry.dispose();
      (snowfall.points.material as THREE.Material).dispose();
      hudPanel.dispose();
      bullseye.dispose();
      hudSprite.material.dispose();
      stage.dispose();
    },
  };
}
