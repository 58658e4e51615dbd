/**
 * Cyclic and block-cyclic 2-D decompositions (src/plan/partition2d-cyclic.ts) against a plain
 * reference: rows (and columns) dealt one by one to owners, a new owner every tile.
 */
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../dist/index.js";
import {
  blockCyclic2d, cyclic2d, globalCell, haloLayout, localIndex, localShape, ownedRanges, ownerOf, tileNeighbours, tileOf, tilesOf,
  type BlockCyclic2d,
} from "../../dist/grid.js";

/** Deals `length` indices out to `n` owners, `tile` at a time, round-robin: owner of each index. */
function deal(length: number, tile: number, n: number): number[] {
  const owner: number[] = [];
  let k = 0;
  let inTile = 0;
  for (let i = 0; i < length; i++) {
    owner.push(k);
    if (++inTile === tile) {
      inTile = 0;
      k = (k + 1) % n;
    }
  }
  return owner;
}

/** The reference: each cell's owner and its (row, col) place among that owner's rows and columns. */
function reference(d: BlockCyclic2d) {
  const rowOwner = deal(d.rows, d.tileRows, d.p);
  const colOwner = deal(d.cols, d.tileCols, d.q);
  const position = (owners: number[]) => {
    const seen = new Map<number, number>();
    return owners.map((o) => {
      const at = seen.get(o) ?? 0;
      seen.set(o, at + 1);
      return at;
    });
  };
  const rowPos = position(rowOwner);
  const colPos = position(colOwner);
  const count = (owners: number[], o: number) => owners.filter((x) => x === o).length;
  return {
    owner: (r: number, c: number) => rowOwner[r]! * d.q + colOwner[c]!,
    local: (r: number, c: number) => rowPos[r]! * count(colOwner, colOwner[c]!) + colPos[c]!,
    shape: (owner: number) => {
      const rows = count(rowOwner, Math.floor(owner / d.q));
      const cols = count(colOwner, owner % d.q);
      return { rows, cols, cells: rows * cols };
    },
  };
}

/** Many shapes: every grid up to 9 × 9 with a spread of tile sizes and owner grids. */
function* shapes(): Generator<BlockCyclic2d> {
  for (let rows = 1; rows <= 9; rows++) {
    for (let cols = 1; cols <= 9; cols += 2) {
      for (const tileRows of [1, 2, 3, rows]) {
        for (const tileCols of [1, 2, 4]) {
          if (tileRows > rows || tileCols > cols) continue;
          const tilesDown = Math.ceil(rows / tileRows);
          const tilesAcross = Math.ceil(cols / tileCols);
          for (const p of new Set([1, 2, 3, tilesDown].filter((x) => x <= tilesDown))) {
            for (const q of new Set([1, 2, tilesAcross].filter((x) => x <= tilesAcross))) {
              yield blockCyclic2d(rows, cols, { p, q, tileRows, tileCols });
            }
          }
          yield blockCyclic2d(rows, cols, { scheme: "rows", p: Math.min(2, tilesDown), tileRows });
          yield blockCyclic2d(rows, cols, { scheme: "columns", q: Math.min(3, tilesAcross), tileCols });
        }
      }
    }
  }
}

describe("blockCyclic2d", () => {
  it("deals every cell to exactly one owner's tiles, as the plain round-robin deal does, for every shape", () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const d of shapes()) {
      const ref = reference(d);
      const name = JSON.stringify(d);
      const seen = new Int32Array(d.rows * d.cols).fill(-1);
      for (let owner = 0; owner < d.owners; owner++) {
        const tiles = tilesOf(d, owner);
        if (tiles.length === 0) wrong.push(`${name}: owner ${owner} has no tile`);
        for (const t of tiles) {
          if (t.owner !== owner) wrong.push(`${name}: tile ${t.index} of owner ${owner} says ${t.owner}`);
          for (let r = t.row0; r < t.row1; r++) {
            for (let c = t.col0; c < t.col1; c++) {
              if (seen[r * d.cols + c] !== -1) wrong.push(`${name}: cell ${r},${c} twice`);
              seen[r * d.cols + c] = owner;
            }
          }
        }
      }
      for (let r = 0; r < d.rows; r++) {
        for (let c = 0; c < d.cols; c++) {
          const want = ref.owner(r, c);
          const t = tileOf(d, r, c);
          const got = [seen[r * d.cols + c], ownerOf(d, r, c), t.owner];
          if (got.some((o) => o !== want)) wrong.push(`${name}: cell ${r},${c} owned by ${want}, got ${got}`);
          if (!(t.row0 <= r && r < t.row1 && t.col0 <= c && c < t.col1)) wrong.push(`${name}: tileOf(${r}, ${c}) misses the cell`);
        }
      }
      checked++;
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });

  it("gives each owner's cells as row ranges × column ranges, exactly the cells it owns", () => {
    const wrong: string[] = [];
    const inRanges = (ranges: Array<[number, number]>, x: number) => ranges.some(([a, b]) => a <= x && x < b);
    for (const d of shapes()) {
      const ref = reference(d);
      for (let owner = 0; owner < d.owners; owner++) {
        const { rows, cols } = ownedRanges(d, owner);
        for (let r = 0; r < d.rows; r++) {
          for (let c = 0; c < d.cols; c++) {
            if ((inRanges(rows, r) && inRanges(cols, c)) !== (ref.owner(r, c) === owner)) wrong.push(`${JSON.stringify(d)}: owner ${owner}, cell ${r},${c}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("stores each owner's cells packed: localShape, localIndex and globalCell agree with the reference and invert each other", () => {
    const wrong: string[] = [];
    for (const d of shapes()) {
      const ref = reference(d);
      const name = JSON.stringify(d);
      const filled = Array.from({ length: d.owners }, (_, o) => new Int32Array(localShape(d, o).cells).fill(-1));
      for (let o = 0; o < d.owners; o++) {
        const [got, want] = [localShape(d, o), ref.shape(o)];
        if (got.rows !== want.rows || got.cols !== want.cols || got.cells !== want.cells) wrong.push(`${name}: localShape(${o}) ${JSON.stringify(got)}`);
      }
      for (let r = 0; r < d.rows; r++) {
        for (let c = 0; c < d.cols; c++) {
          const { owner, index } = localIndex(d, r, c);
          if (owner !== ref.owner(r, c) || index !== ref.local(r, c)) wrong.push(`${name}: localIndex(${r}, ${c}) = ${owner}, ${index}`);
          else if (filled[owner]![index] !== -1) wrong.push(`${name}: slot ${index} of owner ${owner} twice`);
          else filled[owner]![index] = r * d.cols + c;
          const [gr, gc] = globalCell(d, owner, index);
          if (gr !== r || gc !== c) wrong.push(`${name}: globalCell(${owner}, ${index}) = ${gr}, ${gc}; want ${r}, ${c}`);
        }
      }
      if (!filled.every((cells) => cells.every((x) => x >= 0))) wrong.push(`${name}: a packed slot holds no cell`);
    }
    expect(wrong).toEqual([]);
  });

  it("deals tiles as the diagram shows: 3 × 5 tiles over 2 × 2 owners, the last tiles cut short", () => {
    const d = blockCyclic2d(8, 13, { p: 2, q: 2, tileRows: 3, tileCols: 3 });
    expect([d.tilesDown, d.tilesAcross, d.owners]).toEqual([3, 5, 4]);
    const grid = Array.from({ length: 3 }, (_, ti) => Array.from({ length: 5 }, (_, tj) => ownerOf(d, ti * 3, tj * 3)));
    expect(grid).toEqual([[0, 1, 0, 1, 0], [2, 3, 2, 3, 2], [0, 1, 0, 1, 0]]);
    expect(tilesOf(d, 0).map((t) => [t.row0, t.row1, t.col0, t.col1])).toEqual([
      [0, 3, 0, 3], [0, 3, 6, 9], [0, 3, 12, 13], [6, 8, 0, 3], [6, 8, 6, 9], [6, 8, 12, 13],
    ]);
    expect(localShape(d, 0)).toEqual({ rows: 5, cols: 7, cells: 35 });
    expect(localShape(d, 3)).toEqual({ rows: 3, cols: 6, cells: 18 });
  });

  it("cyclic2d deals single cells: owner (r mod p, c mod q), whole rows for \"rows\", whole columns for \"columns\"", () => {
    const d = cyclic2d(7, 6, { p: 3, q: 2 });
    for (let r = 0; r < 7; r++) for (let c = 0; c < 6; c++) expect(ownerOf(d, r, c)).toBe((r % 3) * 2 + (c % 2));
    const rows = cyclic2d(7, 6, { scheme: "rows", p: 3 });
    expect([rows.tileRows, rows.tileCols, rows.owners]).toEqual([1, 6, 3]);
    expect(tilesOf(rows, 1).map((t) => [t.row0, t.row1, t.col0, t.col1])).toEqual([[1, 2, 0, 6], [4, 5, 0, 6]]);
    const columns = cyclic2d(7, 6, { scheme: "columns", q: 4 });
    expect(tilesOf(columns, 3).map((t) => [t.row0, t.row1, t.col0, t.col1])).toEqual([[0, 7, 3, 4]]);
  });

  it("names the owners a tile's halo comes from, and haloLayout stores a tile with its ghost cells", () => {
    const wrong: string[] = [];
    for (const d of shapes()) {
      const ref = reference(d);
      const name = JSON.stringify(d);
      for (let index = 0; index < d.tilesDown * d.tilesAcross; index++) {
        const t = tileOf(d, Math.floor(index / d.tilesAcross) * d.tileRows, (index % d.tilesAcross) * d.tileCols);
        if (t.index !== index) wrong.push(`${name}: tile ${index} says ${t.index}`);
        const n = tileNeighbours(d, index);
        // the ghost cells just outside each edge belong to that neighbour's owner, or lie off the grid
        for (let c = t.col0; c < t.col1; c++) {
          if (n.north !== (t.row0 > 0 ? ref.owner(t.row0 - 1, c) : -1)) wrong.push(`${name}: tile ${index} north`);
          if (n.south !== (t.row1 < d.rows ? ref.owner(t.row1, c) : -1)) wrong.push(`${name}: tile ${index} south`);
        }
        for (let r = t.row0; r < t.row1; r++) {
          if (n.west !== (t.col0 > 0 ? ref.owner(r, t.col0 - 1) : -1)) wrong.push(`${name}: tile ${index} west`);
          if (n.east !== (t.col1 < d.cols ? ref.owner(r, t.col1) : -1)) wrong.push(`${name}: tile ${index} east`);
        }
        const layout = haloLayout(t, 1);
        const width = t.col1 - t.col0 + 2;
        if (layout.cells !== (t.row1 - t.row0 + 2) * width || layout.cols !== width) wrong.push(`${name}: tile ${index} halo size ${layout.cells}`);
        // the ghost ring and the tile's own cells, each at its row-major place in the stored block
        for (let r = t.row0 - 1; r <= t.row1; r++) {
          for (let c = t.col0 - 1; c <= t.col1; c++) {
            if (layout.at(r, c) !== (r - t.row0 + 1) * width + (c - t.col0 + 1)) wrong.push(`${name}: tile ${index} at(${r}, ${c})`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("rejects bad sizes, tile sizes, owner counts and cells, naming each and what is allowed", () => {
    const d = blockCyclic2d(6, 4, { p: 2, q: 2, tileRows: 2 });
    const bad: Array<[() => unknown, RegExp]> = [
      [() => blockCyclic2d(0, 4, { p: 1, q: 1 }), /^rows must be an integer from 1 to 2\^53; got 0$/],
      [() => blockCyclic2d(4, 2.5, { p: 1, q: 1 }), /^cols must be an integer from 1 to 2\^53; got 2.5$/],
      [() => blockCyclic2d(4, 4, { p: 1, q: 1, tileRows: 5 }), /^tileRows must be an integer from 1 to 4; got 5$/],
      [() => blockCyclic2d(4, 4, { p: 1, q: 1, tileCols: 0 }), /^tileCols must be an integer from 1 to 4; got 0$/],
      [() => blockCyclic2d(4, 4, { p: 3, q: 1, tileRows: 2 }), /^p must be an integer from 1 to 2; got 3$/],
      [() => blockCyclic2d(4, 4, { p: 1, q: 5 }), /^q must be an integer from 1 to 4; got 5$/],
      [() => blockCyclic2d(4, 4, { q: 1 }), /^p must be an integer from 1 to 4; got undefined$/],
      [() => blockCyclic2d(4, 4, { scheme: "rows", p: 2, q: 2 }), /^q must be an integer from 1 to 1; got 2$/],
      [() => blockCyclic2d(4, 4, { scheme: "rows", p: 2, tileCols: 2 }), /^tileCols must be an integer from 4 to 4; got 2$/],
      [() => blockCyclic2d(4, 4, { scheme: "columns", p: 2, q: 2 }), /^p must be an integer from 1 to 1; got 2$/],
      [() => blockCyclic2d(4, 4, { scheme: "cyclic" as never, p: 1, q: 1 }), /^scheme must be one of "rows", "columns", "blocks"; got "cyclic"$/],
      [() => cyclic2d(4, 4, { p: 2, q: 2, tileRows: 2 } as never), /^tileRows must be absent: cyclic2d deals tiles of one cell/],
      [() => ownerOf(d, 6, 0), /^row must be an integer from 0 to 5; got 6$/],
      [() => tileOf(d, 0, -1), /^col must be an integer from 0 to 3; got -1$/],
      [() => tilesOf(d, 4), /^owner must be an integer from 0 to 3; got 4$/],
      [() => globalCell(d, 0, localShape(d, 0).cells), /^index must be an integer from 0 to 7; got 8$/],
      [() => tileNeighbours(d, 12), /^index must be a tile index from 0 to 11; got 12$/],
    ];
    for (const [call, message] of bad) {
      expect(call).toThrow(InvalidArgumentError);
      expect(call).toThrow(message);
    }
  });
});
