import * as THREE from 'three';
import type { GameInstance } from '../../bridge/game/GameModule.js';
import { ArrowKeys } from '../ArrowKeys.js';
import { ViewStage, type GameView } from '../ViewStage.js';
import { Ball3DGame, ball3DRules } from './sim.js';

/**
 * Draws every 3DBall area (cube and ball) in a grid. The arrows tilt the cubes: the camera looks
 * toward -z, so "up" rolls the ball away (-z) and "right" rolls it right (+x).
 */
export function createView(game: GameInstance, canvas: HTMLCanvasElement): GameView {
  if (!(game instanceof Ball3DGame)) {
    throw new Error('3dball view: createView needs a game made by the 3dball module (Ball3DGame); pass the instance 3dball.create() returned');
  }
  const size = ball3DRules.platformSize;
  const stage = new ViewStage(canvas, { areas: game.areas.length, cellWidth: size * 2, cellDepth: size * 2, height: size });
  const cubeGeometry = new THREE.BoxGeometry(size, size, size);
  const cubeMaterial = new THREE.MeshStandardMaterial({ color: 0x3366cc });
  const ballGeometry = new THREE.SphereGeometry(ball3DRules.ballRadius, 32, 16);
  const ballMaterial = new THREE.MeshStandardMaterial({ color: 0xdd8833 });
  const meshes = game.areas.map((area, i) => {
    const origin = stage.areaOrigin(i);
    const cube = new THREE.Mesh(cubeGeometry, cubeMaterial);
    const ball = new THREE.Mesh(ballGeometry, ballMaterial);
    cube.castShadow = cube.receiveShadow = true;
    ball.castShadow = true;
    stage.scene.add(cube, ball);
    return { area, origin, cube, ball };
  });

  const keys = new ArrowKeys(canvas);
  for (const agent of game.agents) agent.manualInput = { rollX: () => keys.horizontal, rollZ: () => -keys.vertical };

  return {
    render() {
      for (const { area, origin, cube, ball } of meshes) {
        const p = area.platform.position;
        const q = area.platform.quaternion;
        const b = area.ball.position;
        cube.position.set(origin.x + p.x, origin.y + p.y, origin.z + p.z);
        cube.quaternion.set(q.x, q.y, q.z, q.w);
        ball.position.set(origin.x + b.x, origin.y + b.y, origin.z + b.z);
        ball.scale.setScalar(area.ballScale);
        const spin = area.ball.quaternion;
        ball.quaternion.set(spin.x, spin.y, spin.z, spin.w);
      }
      stage.render();
    },
    dispose() {
      keys.dispose();
      for (const agent of game.agents) agent.manualInput = null;
      stage.dispose();
    },
  };
}
