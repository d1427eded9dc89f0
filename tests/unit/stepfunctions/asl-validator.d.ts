// asl-validator ships no types; this is the part the test uses.
declare module 'asl-validator' {
  export default function validator(
    definition: unknown,
    options?: Record<string, unknown>,
  ): { isValid: boolean; errors: unknown[] };
}
