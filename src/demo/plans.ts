/** What a simulated department does with an incident. */
export type Behaviour = 'on_time' | 'late' | 'interim' | 'never';

/** Deterministic "random" in [0,1) from an incident number, so every demo run is the same. */
export function rand(n: number, salt: number): number {
  const x = Math.sin(n * 12.9898 + salt * 78.233) * 43758.5453;
  return x - Math.floor(x);
}

export function behaviourOf(n: number): Behaviour {
  const r = rand(n, 1);
  return r < 0.58 ? 'on_time' : r < 0.78 ? 'late' : r < 0.9 ? 'interim' : 'never';
}
