import * as THREE from 'three';
import type { Body } from 'cannon-es';
import type { GameInstance } from '../../bridge/game/GameModule.js';
import { ArrowKeys } from '../ArrowKeys.js';
import { ViewStage, type GameView } from '../ViewStage.js';
import { FLOOR_HALF_SIZE, wallColliders } from './PyramidsLayout.js';
import { PyramidsGame, pyramidsRules as R } from './sim.js';

const COLORS = {
  floor: 0xc8b99a,
  wall: 0x8a8f99,
  agent: 0x2f6fd6,
  eye: 0xffffff,
  switchOff: 0xb03a2e,
  switchOn: 0x3fae5a,
  stone: 0x777770,
  brick: 0xb5653a,
  goal: 0xf2c12e,
};

/**
 * Draws every Pyramids area: floor, walls, the agent (with eyes on its front), the switch (red when
 * off, green when on), the grey stone pyramids and, once the switch is on, the brick pyramid with
 * the gold brick, every cube where the physics has it, so pyramids fall as they are knocked over.
 * Arrow keys drive every agent (up forward, down back, left and right turn), as W/S/A/D in ML-Agents.
 */
export function createView(game: GameInstance, canvas: HTMLCanvasElement): GameView {
  if (!(game instanceof PyramidsGame)) {
    throw new Error('pyramids view: createView needs a game made by the pyramids module (PyramidsGame); pass the instance pyramids.create() returned');
  }
  const size = 2 * FLOOR_HALF_SIZE + 2;
  const stage = new ViewStage(canvas, { areas: game.areas.length, cellWidth: size + 10, cellDepth: size + 10, height: 8 });
  const material = (color: number) => new THREE.MeshStandardMaterial({ color });

  const unitBox = new THREE.BoxGeometry(1, 1, 1);
  const stoneCount = game.areas.reduce((n, a) => n + a.stonePyramids.reduce((m, p) => m + p.bodies.length, 0), 0);
  const brickCount = game.areas.reduce((n, a) => n + a.brickPyramid.bodies.length - 1, 0);
  const stones = new THREE.InstancedMesh(unitBox, material(COLORS.stone), stoneCount);
  const bricks = new THREE.InstancedMesh(unitBox, material(COLORS.brick), brickCount);
  const goalGeometry = new THREE.BoxGeometry(R.goalSize, R.goalSize, R.goalSize);
  for (const mesh of [stones, bricks]) {
    mesh.castShadow = mesh.receiveShadow = true;
    mesh.instanceMatrix.setUsage(THREE.DynamicDrawUsage);
    stage.scene.add(mesh);
  }

  const switchGeometry = new THREE.BoxGeometry(R.switchSize, R.switchSize, R.switchSize);
  const offMaterial = material(COLORS.switchOff);
  const onMaterial = material(COLORS.switchOn);
  const areas = game.areas.map((area, i) => {
    const origin = stage.areaOrigin(i);
    const group = new THREE.Group();
    group.position.copy(origin);
    const floor = new THREE.Mesh(new THREE.BoxGeometry(size - 2, 0.2, size - 2), material(COLORS.floor));
    floor.position.y = -0.1;
    floor.receiveShadow = true;
    group.add(floor);
    const wallMaterial = material(COLORS.wall);
    for (const wall of wallColliders) {
      // Walls reach below the floor in the prefab; only the part above it is drawn.
      const bottom = Math.max(0, wall.center.y - wall.size.y / 2);
      const top = wall.center.y + wall.size.y / 2;
      const mesh = new THREE.Mesh(new THREE.BoxGeometry(wall.size.x, top - bottom, wall.size.z), wallMaterial);
      mesh.position.set(wall.center.x, (top + bottom) / 2, wall.center.z);
      mesh.castShadow = mesh.receiveShadow = true;
      group.add(mesh);
    }
    const agent = new THREE.Mesh(new THREE.BoxGeometry(R.agentSize, R.agentSize, R.agentSize), material(COLORS.agent));
    agent.castShadow = true;
    const eyeMaterial = material(COLORS.eye);
    for (const side of [-0.25, 0.25]) {
      // Local +z is the agent's front.
      const eye = new THREE.Mesh(new THREE.SphereGeometry(0.12, 12, 8), eyeMaterial);
      eye.position.set(side, 0.15, 0.5);
      agent.add(eye);
    }
    const switchMesh = new THREE.Mesh(switchGeometry, offMaterial);
    switchMesh.castShadow = switchMesh.receiveShadow = true;
    const goal = new THREE.Mesh(goalGeometry, material(COLORS.goal));
    goal.castShadow = true;
    group.add(agent, switchMesh, goal);
    stage.scene.add(group);
    return { area, agent, switchMesh, goal };
  });

  const keys = new ArrowKeys(canvas);
  for (const agent of game.agents) {
    agent.manualInput = {
      forward: () => keys.vertical > 0,
      back: () => keys.vertical < 0,
      left: () => keys.horizontal < 0,
      right: () => keys.horizontal > 0,
    };
  }

  const matrix = new THREE.Matrix4();
  const position = new THREE.Vector3();
  const rotation = new THREE.Quaternion();
  const scale = new THREE.Vector3(1, 1, 1);
  const hidden = new THREE.Matrix4().makeScale(0, 0, 0);
  const place = (mesh: THREE.InstancedMesh, index: number, body: Body, origin: THREE.Vector3, visible: boolean) => {
    if (!visible) {
      mesh.setMatrixAt(index, hidden);
      return;
    }
    position.set(origin.x + body.position.x, origin.y + body.position.y, origin.z + body.position.z);
    rotation.set(body.quaternion.x, body.quaternion.y, body.quaternion.z, body.quaternion.w);
    mesh.setMatrixAt(index, matrix.compose(position, rotation, scale));
  };
  const copyPose = (object: THREE.Object3D, body: Body) => {
    object.position.set(body.position.x, body.position.y, body.position.z);
    object.quaternion.set(body.quaternion.x, body.quaternion.y, body.quaternion.z, body.quaternion.w);
  };

  return {
    render() {
      let s = 0;
      let b = 0;
      for (const [i, { area, agent, switchMesh, goal }] of areas.entries()) {
        const origin = stage.areaOrigin(i);
        for (const pyramid of area.stonePyramids) {
          for (const body of pyramid.bodies) place(stones, s++, body, origin, pyramid.present);
        }
        const brickPyramid = area.brickPyramid;
        for (const body of brickPyramid.bodies) {
          if (body !== brickPyramid.goal) place(bricks, b++, body, origin, brickPyramid.present);
        }
        goal.visible = brickPyramid.present;
        if (brickPyramid.goal) copyPose(goal, brickPyramid.goal);
        copyPose(agent, area.agent);
        copyPose(switchMesh, area.switchBody);
        switchMesh.material = area.switchOn ? onMaterial : offMaterial;
      }
      stones.instanceMatrix.needsUpdate = true;
      bricks.instanceMatrix.needsUpdate = true;
      stage.render();
    },
    dispose() {
      keys.dispose();
      for (const agent of game.agents) agent.manualInput = null;
      stage.dispose();
      // The switch material not shown at this moment is not in the scene for ViewStage to free.
      offMaterial.dispose();
      onMaterial.dispose();
    },
  };
}
