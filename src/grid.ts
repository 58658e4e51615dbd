/**
 * wasm-mp/grid: domain decomposition of 2-D grids — block (row, column and P×Q blocks), cyclic
 * and block-cyclic (tiles dealt round-robin to P×Q owners) — with ownership lookup, neighbours,
 * halo layout and double buffering, for step kernels run with Pool.iterate. A subpath of its
 * own, so that pages which do not need it do not load it up front.
 */
export { partition2d, blockOf, neighbours, haloLayout, doubleBuffer, type Partition2d, type Partition2dOptions, type Partition2dScheme, type Block2d, type Neighbours, type HaloLayout, type Rect2d } from "./plan/partition2d.js";
export { cyclic2d, blockCyclic2d, ownerOf, tileOf, tilesOf, ownedRanges, localShape, localIndex, globalCell, tileNeighbours, type BlockCyclic2d, type BlockCyclic2dOptions, type Cyclic2dOptions, type Cyclic2dScheme, type Tile2d, type TileNeighbours } from "./plan/partition2d-cyclic.js";
