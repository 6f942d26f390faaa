import * as THREE from 'three';
import type { GameInstance } from '../../bridge/game/GameModule.js';
import { ArrowKeys } from '../ArrowKeys.js';
import { ViewStage, type GameView } from '../ViewStage.js';
import { BasicGame, basicRules } from './sim.js';

// Unity's Basic puts cell c at x = c - 10.
const cellX = (cell: number) => cell - basicRules.start;

/** Draws every Basic area as a row of cells with its two goals and agent; each arrow press moves the agents one cell. */
export function createView(game: GameInstance, canvas: HTMLCanvasElement): GameView {
  if (!(game instanceof BasicGame)) {
    throw new Error('basic view: createView needs a game made by the basic module (BasicGame); pass the instance basic.create() returned');
  }
  const stage = new ViewStage(canvas, { areas: game.agents.length, cellWidth: basicRules.cells + 2, cellDepth: 3, height: 1 });
  const cellGeometry = new THREE.BoxGeometry(0.9, 0.1, 0.9);
  const cellMaterial = new THREE.MeshStandardMaterial({ color: 0xb0b8c0 });
  const agentMeshes = game.agents.map((agent, i) => {
    const origin = stage.areaOrigin(i);
    for (let c = 0; c < basicRules.cells; c++) {
      const cell = new THREE.Mesh(cellGeometry, cellMaterial);
      cell.position.set(origin.x + cellX(c), origin.y - 0.55, origin.z);
      cell.receiveShadow = true;
      stage.scene.add(cell);
    }
    const goal = (cell: number, radius: number, color: number) => {
      const mesh = new THREE.Mesh(new THREE.SphereGeometry(radius, 24, 16), new THREE.MeshStandardMaterial({ color }));
      mesh.position.set(origin.x + cellX(cell), origin.y, origin.z);
      mesh.castShadow = true;
      stage.scene.add(mesh);
    };
    goal(basicRules.smallGoal, 0.25, 0x44aa55);
    goal(basicRules.largeGoal, 0.5, 0x44aa55);
    const body = new THREE.Mesh(new THREE.BoxGeometry(1, 1, 1), new THREE.MeshStandardMaterial({ color: 0x3366cc }));
    body.castShadow = true;
    stage.scene.add(body);
    return { agent, body, origin };
  });

  const keys = new ArrowKeys(canvas);
  // One cell per key press: the game steps 50 times a second, far faster than a player decides.
  // Every area's agent takes the latest press once, whenever its next decision comes.
  const pending = game.agents.map(() => 0);
  game.agents.forEach((agent, i) => {
    agent.manualInput = {
      direction: () => {
        const d = pending[i]!;
        pending[i] = 0;
        return d;
      },
    };
  });

  return {
    render() {
      for (let p = keys.takeHorizontalPress(); p !== 0; p = keys.takeHorizontalPress()) pending.fill(p);
      for (const { agent, body, origin } of agentMeshes) body.position.set(origin.x + cellX(agent.position), origin.y, origin.z);
      stage.render();
    },
    dispose() {
      keys.dispose();
      for (const agent of game.agents) agent.manualInput = null;
      stage.dispose();
    },
  };
}
