/**
 * Where things are in one Pyramids area, from ML-Agents' AreaPB, StonePyramid and BrickPyramid
 * prefabs (collider centres and sizes with their transforms applied).
 *
 * Frame: Unity is left-handed (x right, z forward); this sim is right-handed with the convention of
 * RayPerceptionSensor3D and three.js models (local +z forward, local -x right). Every Unity position
 * is therefore mirrored in x (`fromUnity`), which keeps left and right where ML-Agents has them: a
 * ray that sees something on the agent's right in Unity sees it on the agent's right here, and a
 * turn to the right (ML-Agents' action 3) is a negative rotation about +y.
 */

/** A point or size in metres. */
export interface Vec3Like {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

/** A static box collider: centre and full size. */
export interface BoxCollider {
  readonly center: Vec3Like;
  readonly size: Vec3Like;
}

/** Unity coordinates to this sim's: mirror in x (see the header). */
export function fromUnity(x: number, y: number, z: number): Vec3Like {
  return { x: -x, y, z };
}

const box = (cx: number, cy: number, cz: number, sx: number, sy: number, sz: number): BoxCollider => ({
  center: fromUnity(cx, cy, cz),
  size: { x: sx, y: sy, z: sz },
});

// Inner walls: the Walls.fbx meshes are scaled by (0.01, 0.0073299, 0.01) and stand 7.22 m tall
// from y = -2.7 (cruciform) or -1.234 (side walls), so both span y -2.7 .. 4.52.
const WALL_HEIGHT = 985.00024 * 0.007329897;
const WALL_Y = -2.7 + WALL_HEIGHT / 2;

/**
 * Every wall collider of an area (tag "wall"): four outer walls 5 m above the floor, four
 * cross-shaped walls around the centre cell's corners, and eight side walls; together they split
 * the 99 m floor into a 3 x 3 grid of rooms joined by doors in the middle of each shared wall.
 */
export const wallColliders: readonly BoxCollider[] = [
  // OuterWalls: scale 0.01 at (0, -5, -0.25).
  box(50, -2.5, 0, 1, 15, 101),
  box(-50, -2.5, 0, 1, 15, 101),
  box(0.25, -2.5, 49.6, 101, 15, 1),
  box(0.25, -2.5, -50.1, 101, 15, 1),
  // CruciformWall (0) .. (3): two crossed boxes each.
  ...[
    [16.538311, 16.557728],
    [16.538311, -16.55773],
    [-16.55773, 16.557728],
    [-16.55773, -16.55773],
  ].flatMap(([x, z]) => [box(x!, WALL_Y, z!, 15.150038, WALL_HEIGHT, 1.00006), box(x!, WALL_Y, z!, 1, WALL_HEIGHT, 15.000065)]),
  // SideWall1 .. SideWall8: from the cross walls to the outer walls.
  box(42.247515, WALL_Y, -16.442273, 14.504971, WALL_HEIGHT, 1),
  box(16.557727, WALL_Y, -42.247516, 1, WALL_HEIGHT, 14.504968),
  box(-16.442273, WALL_Y, -42.247516, 1, WALL_HEIGHT, 14.504968),
  box(-42.247516, WALL_Y, -16.557727, 14.504968, WALL_HEIGHT, 1),
  box(-42.247516, WALL_Y, 16.442273, 14.504968, WALL_HEIGHT, 1),
  box(-16.557727, WALL_Y, 42.247516, 1, WALL_HEIGHT, 14.504968),
  box(16.442273, WALL_Y, 42.247516, 1, WALL_HEIGHT, 14.504968),
  box(42.247515, WALL_Y, 16.557727, 14.504971, WALL_HEIGHT, 1),
];

/** Half the side of the floor (Floor collider 99 x 99, top at y = 0). */
export const FLOOR_HALF_SIZE = 49.5;

/** Coordinate of the walls between rooms along x and along z (either sign). */
export const ROOM_BOUNDARY = 16.5;

/** Room centres along one axis: the spawn cells sit at -30, 0 and 30 on both axes. */
export const ROOM_CENTRES = [-30, 0, 30] as const;

/** Centres of the nine spawn cells, in PyramidArea.spawnAreas order (SpawnA .. SpawnI). */
export const spawnCellCentres: readonly Vec3Like[] = [
  [-30, -30],
  [0, -30],
  [30, -30],
  [-30, 0],
  [0, 0],
  [30, 0],
  [-30, 30],
  [0, 30],
  [30, 30],
].map(([x, z]) => fromUnity(x!, 0, z!));

/**
 * Cube centres of a pyramid relative to its root, resting on the floor under the root. The prefab
 * is a hollow stack of one-metre cubes: a ring of 12 on a 4 x 4 grid, a ring of 8 on a 3 x 3 grid,
 * 2 x 2, then one cube; its layers are 1.1 to 1.5 m apart and settle onto each other when Unity
 * drops the prefab from 2 m, so they are placed here already settled, one metre apart.
 * x and z are the StonePyramid's (the BrickPyramid's differ by less than 0.13 m), except that the
 * outer rows of the second and third layers are moved outwards by 0.25 and 0.2 m: in the prefab
 * the middle cube of each side of the second layer rests on the ring below by less than half its
 * width and tips into the hollow centre, bringing the gold brick down by itself within seconds.
 */
export const pyramidCubeOffsets: readonly Vec3Like[] = (() => {
  const ring = (xs: readonly number[], zs: readonly number[], layer: number): Vec3Like[] => {
    const cubes: Vec3Like[] = [];
    for (const [i, x] of xs.entries()) {
      for (const [k, z] of zs.entries()) {
        const onEdge = i === 0 || k === 0 || i === xs.length - 1 || k === zs.length - 1;
        if (onEdge) cubes.push(fromUnity(x, 0.5 + layer, z));
      }
    }
    return cubes;
  };
  const [out1, out2] = [0.25, 0.2];
  return [
    ...ring([-1.34, -0.21341121, 1.0865887, 2.2], [-1.06, 0.10099297, 1.4509928, 2.62], 0),
    ...ring([-0.82 - out1, 0.37, 1.67 + out1], [-0.47300643 - out1, 0.77099353, 2.1209934 + out1], 1),
    ...ring([-0.27 - out2, 0.92 + out2], [0.13099249 - out2, 1.3749925 + out2], 2),
    fromUnity(0.34, 3.5, 0.8),
  ];
})();

/** Centre of the gold brick (2 m cube) on top of the brick pyramid's last cube (top face at 4 m). */
export const goalOffset: Vec3Like = fromUnity(0.45, 5, 0.8);
