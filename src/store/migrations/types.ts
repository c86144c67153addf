/** A versioned schema change. SQL is per dialect because ids, timestamps and booleans differ. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
}
