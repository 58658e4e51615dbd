/**
 * wasm-mp/grid: domain decomposition of 2-D grids (row, column and P×Q blocks, neighbours, halo
 * layout, double buffering), for step kernels run with Pool.iterate. A subpath of its own, so
 * that pages which do not need it do not load it up front.
 */
export { partition2d, blockOf, neighbours, haloLayout, doubleBuffer, type Partition2d, type Partition2dOptions, type Partition2dScheme, type Block2d, type Neighbours, type HaloLayout } from "./plan/partition2d.js";
