// dynalite ships no types; this declares the part of its API the project uses.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** How long a new table stays CREATING; 0 makes it ACTIVE at once. */
    createTableMs?: number;
    /** A LevelDB directory; without it the tables live in memory. */
    path?: string;
  }
  export default function dynalite(options?: DynaliteOptions): Server;
}
